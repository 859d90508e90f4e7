package io.bpfscope.ui.timeline;

/**
 * Events lost by the time {@code epochNanos}: {@code lost} since the mark
 * before, {@code total} so far. {@code exactTime} is false for a total known
 * only at the end of a file.
 */
public record LostMark(long epochNanos, long lost, long total, boolean exactTime) {
}
