package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersBecomeVisibleEscapes() {
        assertThat(TerminalText.escape("\u001b]8;;http://x\u0007")).isEqualTo("\\x1b]8;;http://x\\x07");
        assertThat(TerminalText.escape("\u001b[2J")).isEqualTo("\\x1b[2J");
        assertThat(TerminalText.escape("\u009b31m")).isEqualTo("\\u009b31m");
        assertThat(TerminalText.escape("a\u007fb\u0000c")).isEqualTo("a\\x7fb\\x00c");
        assertThat(TerminalText.escape("line\nnext\ttab\r")).isEqualTo("line\\x0anext\\x09tab\\x0d");
    }

    @Test
    void bidiOverridesAndIsolatesAreEscaped() {
        assertThat(TerminalText.escape("invoice\u202egpj.exe")).isEqualTo("invoice\\u202egpj.exe");
        assertThat(TerminalText.escape("\u2066x\u2069")).isEqualTo("\\u2066x\\u2069");
    }

    @Test
    void bytesThatWereNotUtf8ShowAsHexAndLoneSurrogatesAsCodes() {
        assertThat(TerminalText.escape("a\udcffb")).isEqualTo("a\\xffb");
        assertThat(TerminalText.escape("\ud800x")).isEqualTo("\\ud800x");
    }

    @Test
    void printableTextOfAnyScriptIsUnchanged() {
        String text = "/home/zoë/файл 文件 😀 C:\\path";
        assertThat(TerminalText.escape(text)).isSameAs(text);
    }

    @Test
    void multiLineTextKeepsItsLineBreaksButNotALoneCarriageReturn() {
        assertThat(TerminalText.escapeKeepingLines("GET /\r\nHost: x\r\n\tok\rspoof\u001b[2J"))
                .isEqualTo("GET /\r\nHost: x\r\n\tok\\x0dspoof\\x1b[2J");
    }
}
