package io.bpfscope.probes.golang;

import java.util.ArrayList;
import java.util.List;

/**
 * The lengths of x86-64 instructions (64-bit mode), enough to walk a function
 * from its first byte to its last and find its returns: legacy and REX prefixes,
 * the one-, two- and three-byte opcode maps, VEX, EVEX and XOP, ModRM, SIB,
 * displacements and immediates. It decodes lengths only, not operands. Stateless.
 *
 * <p>Why: a uretprobe rewrites the return address on the stack, which Go moves
 * when a goroutine's stack grows (golang/go#22008), so Go functions get a uprobe
 * on every {@code RET} instead, and those are found by decoding from the entry.
 */
public final class X86Instructions {
    /** The longest legal x86 instruction. */
    static final int MAX_LENGTH = 15;

    /** One-byte opcodes with a ModRM byte: bit n of word n/32. */
    private static final int[] ONE_BYTE_MODRM = bits(
            0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b,
            0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2a, 0x2b, 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b,
            0x63, 0x69, 0x6b, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d,
            0x8e, 0x8f, 0xc0, 0xc1, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
            0xde, 0xdf, 0xf6, 0xf7, 0xfe, 0xff);
    /** One-byte opcodes followed by an 8-bit immediate or displacement. */
    private static final int[] ONE_BYTE_IMM8 = bits(
            0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x6a, 0x6b, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75,
            0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x83, 0xa8, 0xb0, 0xb1, 0xb2,
            0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xc0, 0xc1, 0xc6, 0xcd, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6,
            0xe7, 0xeb);
    /** One-byte opcodes followed by a 32-bit immediate (16-bit under the 66 prefix). */
    private static final int[] ONE_BYTE_IMM32 = bits(
            0x05, 0x0d, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x68, 0x69, 0x81, 0xa9, 0xc7);
    /** One-byte opcodes that do not exist in 64-bit mode (62, c4, c5 are EVEX and VEX there). */
    private static final int[] ONE_BYTE_INVALID = bits(
            0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0x82, 0x9a, 0xce,
            0xd4, 0xd5, 0xd6, 0xea);
    /** Two-byte opcodes (0f xx) without a ModRM byte; every other one has one. */
    private static final int[] TWO_BYTE_NO_MODRM = bits(
            0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37, 0x77,
            0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
            0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf);
    /** Two-byte opcodes with an 8-bit immediate; the same in VEX's and EVEX's map 1. */
    private static final int[] TWO_BYTE_IMM8 = bits(
            0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6);
    /** Two-byte opcodes that do not exist (an instruction stream holding one is not code). */
    private static final int[] TWO_BYTE_INVALID = bits(0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39,
            0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0xff);

    private X86Instructions() {
    }

    /** A byte sequence that is not an instruction, or one cut off by the end of the code. */
    public static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message);
        }
    }

    /**
     * The length of the instruction starting at {@code code[at]}.
     *
     * @throws DecodeException if the bytes there are no valid 64-bit instruction or run past {@code end}
     */
    public static int length(byte[] code, int at, int end) throws DecodeException {
        Cursor in = new Cursor(code, at, Math.min(end, at + MAX_LENGTH));
        boolean operand16 = false;
        boolean address32 = false;
        int op = in.next();
        while (isLegacyPrefix(op)) {
            operand16 |= op == 0x66;
            address32 |= op == 0x67;
            op = in.next();
        }
        boolean rexW = false;
        if ((op & 0xf0) == 0x40) {
            rexW = (op & 0x08) != 0;
            op = in.next();
        }
        switch (op) {
            case 0x0f -> twoByte(in, in.next());
            case 0xc4 -> { // three-byte VEX: map in the low five bits of the first payload byte
                int map = in.next() & 0x1f;
                in.next();
                vexOrEvex(in, map, in.next());
            }
            case 0xc5 -> { // two-byte VEX: always map 1 (0f)
                in.next();
                vexOrEvex(in, 1, in.next());
            }
            case 0x62 -> { // EVEX: map in the low three bits of P0
                int map = in.next() & 0x07;
                in.next();
                in.next();
                vexOrEvex(in, map, in.next());
            }
            case 0x8f -> {
                if ((in.peek() & 0x1f) >= 8) { // XOP (AMD); map 8 has imm8, map a imm32, map 9 none
                    int map = in.next() & 0x1f;
                    in.next();
                    in.next();
                    modrm(in, address32);
                    in.skip(map == 8 ? 1 : map == 0xa ? 4 : 0);
                } else {
                    modrm(in, address32); // POP r/m64
                }
            }
            default -> oneByte(in, op, operand16, address32, rexW);
        }
        return in.at - at;
    }

    /** The offsets (from the start of {@code code}) of every near return, {@code C3} and {@code C2 iw}, prefixes included. */
    public static List<Integer> returns(byte[] code) throws DecodeException {
        List<Integer> found = new ArrayList<>();
        int at = 0;
        while (at < code.length) {
            int length = length(code, at, code.length);
            int op = at;
            while (isLegacyPrefix(code[op] & 0xff) || (code[op] & 0xf0) == 0x40) {
                op++;
            }
            int opcode = code[op] & 0xff;
            if (op - at < length && (opcode == 0xc3 || opcode == 0xc2)) {
                found.add(at);
            }
            at += length;
        }
        return found;
    }

    private static void oneByte(Cursor in, int op, boolean operand16, boolean address32, boolean rexW)
            throws DecodeException {
        if (has(ONE_BYTE_INVALID, op)) {
            throw new DecodeException(String.format("opcode 0x%02x does not exist in 64-bit mode", op));
        }
        int reg = -1;
        if (has(ONE_BYTE_MODRM, op)) {
            reg = modrm(in, address32);
        }
        if (has(ONE_BYTE_IMM8, op)) {
            in.skip(1);
        }
        if (has(ONE_BYTE_IMM32, op)) {
            in.skip(operand16 ? 2 : 4);
        }
        switch (op) {
            case 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf -> in.skip(rexW ? 8 : operand16 ? 2 : 4);
            case 0xa0, 0xa1, 0xa2, 0xa3 -> in.skip(address32 ? 4 : 8); // moffs
            case 0xe8, 0xe9 -> in.skip(4); // rel32 (64-bit mode ignores 66 here on Intel)
            case 0xc2, 0xca -> in.skip(2);
            case 0xc8 -> in.skip(3); // ENTER imm16, imm8
            case 0xf6 -> in.skip(reg == 0 || reg == 1 ? 1 : 0); // TEST r/m8, imm8
            case 0xf7 -> in.skip(reg == 0 || reg == 1 ? (operand16 ? 2 : 4) : 0);
            default -> {
            }
        }
    }

    private static void twoByte(Cursor in, int op) throws DecodeException {
        switch (op) {
            case 0x38 -> { // three-byte map 0f 38: ModRM, no immediate
                in.next();
                modrm(in, false);
            }
            case 0x3a -> { // three-byte map 0f 3a: ModRM and imm8
                in.next();
                modrm(in, false);
                in.skip(1);
            }
            case 0x0f -> { // 3DNow!: ModRM, then the real opcode as a suffix byte
                modrm(in, false);
                in.skip(1);
            }
            default -> {
                if (has(TWO_BYTE_INVALID, op)) {
                    throw new DecodeException(String.format("opcode 0x0f 0x%02x does not exist", op));
                }
                if (!has(TWO_BYTE_NO_MODRM, op)) {
                    modrm(in, false);
                }
                if (has(TWO_BYTE_IMM8, op)) {
                    in.skip(1);
                }
                if (op >= 0x80 && op <= 0x8f) {
                    in.skip(4); // Jcc rel32
                }
            }
        }
    }

    /** After a VEX or EVEX prefix: the opcode (already read), ModRM, and an imm8 where the map says so. */
    private static void vexOrEvex(Cursor in, int map, int op) throws DecodeException {
        if (map < 1 || map > 7 || map == 4) {
            throw new DecodeException("VEX/EVEX opcode map " + map + " does not exist");
        }
        if (map == 1 && op == 0x77) {
            return; // VZEROUPPER, VZEROALL: no operands
        }
        modrm(in, false);
        if (map == 3 || map == 1 && has(TWO_BYTE_IMM8, op)) {
            in.skip(1);
        }
    }

    /** Reads ModRM, SIB and displacement; returns ModRM's reg field (the opcode extension of groups). */
    private static int modrm(Cursor in, boolean address32) throws DecodeException {
        int modrm = in.next();
        int mod = modrm >> 6;
        int rm = modrm & 7;
        if (mod == 3) {
            return (modrm >> 3) & 7;
        }
        if (rm == 4) {
            int sib = in.next();
            if (mod == 0 && (sib & 7) == 5) {
                in.skip(4); // no base: disp32
            }
        } else if (mod == 0 && rm == 5) {
            in.skip(4); // RIP-relative disp32
        }
        in.skip(mod == 1 ? 1 : mod == 2 ? 4 : 0);
        return (modrm >> 3) & 7;
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67 -> true;
            default -> false;
        };
    }

    private static int[] bits(int... opcodes) {
        int[] set = new int[8];
        for (int op : opcodes) {
            set[op >> 5] |= 1 << (op & 31);
        }
        return set;
    }

    private static boolean has(int[] set, int op) {
        return (set[op >> 5] & (1 << (op & 31))) != 0;
    }

    /** Reads forward through one instruction, never past its limit. */
    private static final class Cursor {
        private final byte[] code;
        private final int limit;
        private int at;

        Cursor(byte[] code, int at, int limit) {
            this.code = code;
            this.at = at;
            this.limit = limit;
        }

        int next() throws DecodeException {
            int b = peek();
            at++;
            return b;
        }

        int peek() throws DecodeException {
            if (at >= limit || at >= code.length) {
                throw new DecodeException(String.format("instruction cut off or longer than %d bytes at byte %d",
                        MAX_LENGTH, at));
            }
            return code[at] & 0xff;
        }

        void skip(int count) throws DecodeException {
            if (at + count > limit || at + count > code.length) {
                throw new DecodeException(String.format("instruction cut off or longer than %d bytes at byte %d",
                        MAX_LENGTH, at));
            }
            at += count;
        }
    }
}
