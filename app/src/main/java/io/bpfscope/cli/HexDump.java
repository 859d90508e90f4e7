package io.bpfscope.cli;

import java.util.HexFormat;

/** The classic dump: offset, 16 hex bytes, their printable text. */
final class HexDump {
    private static final HexFormat HEX = HexFormat.of(); // lower case, as hexdump -C
    private HexDump() {
    }

    static String format(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int row = 0; row < bytes.length; row += 16) {
            out.append(HEX.toHexDigits(row)).append("  "); // 8 digits
            for (int i = 0; i < 16; i++) {
                out.append(row + i < bytes.length ? HEX.toHexDigits(bytes[row + i]) + " " : "   ");
                if (i == 7) {
                    out.append(' ');
                }
            }
            out.append(" |");
            for (int i = row; i < Math.min(row + 16, bytes.length); i++) {
                int b = bytes[i] & 0xff;
                out.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            out.append("|\n");
        }
        return out.toString();
    }
}
