package io.bpfscope.cli;

/** The classic dump: offset, 16 hex bytes, their printable text. */
final class HexDump {
    private HexDump() {
    }

    static String format(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int row = 0; row < bytes.length; row += 16) {
            out.append(String.format("%08x  ", row));
            for (int i = 0; i < 16; i++) {
                out.append(row + i < bytes.length ? String.format("%02x ", bytes[row + i] & 0xff) : "   ");
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
