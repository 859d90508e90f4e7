package io.bpfscope.jsse.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * The advice Byte Buddy inlines into JSSE. Each hook first reads {@link Recorder#active} and does
 * nothing else when it is false (no recording, or bpfscope went away); a failure inside a hook is
 * swallowed ({@code suppress}), so JSSE's own behaviour never changes. Only public members of
 * {@link Recorder} are named: the code runs inside {@code sun.security.ssl} classes.
 */
final class Hooks {
    private Hooks() {
    }

    /** The SSLSocketImpl a socket stream belongs to: bound by the Installer to the stream's field that holds it. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface SslSocket {
    }

    /** SSLEngine.wrap: the plaintext is what the engine consumed from the source buffers. */
    static final class Wrap {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int[] enter(@Advice.Argument(0) ByteBuffer[] sources, @Advice.Argument(1) int offset,
                           @Advice.Argument(2) int length) {
            return Recorder.active ? Recorder.positions(sources, offset, length) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object engine, @Advice.Enter int[] before, @Advice.Argument(0) ByteBuffer[] sources,
                         @Advice.Argument(1) int offset, @Advice.Argument(2) int length) {
            if (before != null) {
                Recorder.engineData(engine, Recorder.FN_ENGINE_WRAP, sources, offset, length, before);
            }
        }
    }

    /** SSLEngine.unwrap (JDK 11+: srcs, off, len, dsts, off, len): the plaintext written to the destinations. */
    static final class UnwrapSix {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int[] enter(@Advice.Argument(3) ByteBuffer[] targets, @Advice.Argument(4) int offset,
                           @Advice.Argument(5) int length) {
            return Recorder.active ? Recorder.positions(targets, offset, length) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object engine, @Advice.Enter int[] before, @Advice.Argument(3) ByteBuffer[] targets,
                         @Advice.Argument(4) int offset, @Advice.Argument(5) int length) {
            if (before != null) {
                Recorder.engineData(engine, Recorder.FN_ENGINE_UNWRAP, targets, offset, length, before);
            }
        }
    }

    /** SSLEngine.unwrap (JDK 8: src, dsts, off, len). */
    static final class UnwrapFour {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int[] enter(@Advice.Argument(1) ByteBuffer[] targets, @Advice.Argument(2) int offset,
                           @Advice.Argument(3) int length) {
            return Recorder.active ? Recorder.positions(targets, offset, length) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object engine, @Advice.Enter int[] before, @Advice.Argument(1) ByteBuffer[] targets,
                         @Advice.Argument(2) int offset, @Advice.Argument(3) int length) {
            if (before != null) {
                Recorder.engineData(engine, Recorder.FN_ENGINE_UNWRAP, targets, offset, length, before);
            }
        }
    }

    /** SSLSocketImpl's application output stream: write(byte[], int, int) returned, so the bytes went out. */
    static final class SocketWrite {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@SslSocket Object socket, @Advice.Argument(0) byte[] bytes,
                         @Advice.Argument(1) int offset, @Advice.Argument(2) int length) {
            if (Recorder.active) {
                Recorder.socketData(socket, Recorder.FN_SOCKET_WRITE, bytes, offset, length);
            }
        }
    }

    /** SSLSocketImpl's application input stream: read(byte[], int, int) returned n bytes. */
    static final class SocketRead {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@SslSocket Object socket, @Advice.Argument(0) byte[] bytes,
                         @Advice.Argument(1) int offset, @Advice.Return int count) {
            if (Recorder.active && count > 0) {
                Recorder.socketData(socket, Recorder.FN_SOCKET_READ, bytes, offset, count);
            }
        }
    }
}
