package io.bpfscope.probes.dns;

import io.bpfscope.probes.IpAddressText;
import java.util.ArrayList;
import java.util.List;

/**
 * A DNS message (RFC 1035) as far as it could be parsed: the header, the
 * questions and the resource records of every section. {@link #parse} never
 * throws: on damaged or cut input it returns what it read before the damage,
 * with {@link #error()} saying where and why. Names are shown without the
 * final dot ({@code example.com}; the root is {@code .}). Immutable.
 */
public record DnsMessage(int id, boolean response, int opcode, int rcode, int flags, List<Question> questions,
                         List<ResourceRecord> answers, List<ResourceRecord> authorities,
                         List<ResourceRecord> additionals, String error) {

    public static final int TYPE_A = 1;
    public static final int TYPE_NS = 2;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_SOA = 6;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_MX = 15;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    public static final int TYPE_OPT = 41;

    /** Header flag bits (of the 16-bit flags word). */
    public static final int FLAG_AA = 0x0400;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int FLAG_RA = 0x0080;

    private static final int HEADER = 12;
    private static final int MAX_NAME = 255;
    private static final int MAX_POINTERS = 64;
    private static final int MAX_RECORDS = 256; // a 64 KiB message cannot hold more real ones; counts may lie

    public record Question(String name, int type, int dnsClass) {
        @Override
        public String toString() {
            return typeName(type) + " " + name;
        }
    }

    /** A resource record; {@code data} is its RDATA in text ({@code 1.2.3.4}, a name, {@code 10 mx.example}). */
    public record ResourceRecord(String name, int type, int dnsClass, long ttl, String data) {
        /** As the answers field shows it: {@code A 1.2.3.4 ttl=300}. */
        @Override
        public String toString() {
            return typeName(type) + " " + data + " ttl=" + ttl;
        }
    }

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
    }

    /** True when the whole message parsed. */
    public boolean complete() {
        return error.isEmpty();
    }

    /** The first question, or null. */
    public Question question() {
        return questions.isEmpty() ? null : questions.get(0);
    }

    public String rcodeName() {
        return rcodeName(rcode);
    }

    public String opcodeName() {
        switch (opcode) {
            case 0: return "QUERY";
            case 1: return "IQUERY";
            case 2: return "STATUS";
            case 4: return "NOTIFY";
            case 5: return "UPDATE";
            default: return "OPCODE" + opcode;
        }
    }

    public static String rcodeName(int rcode) {
        switch (rcode) {
            case 0: return "NOERROR";
            case 1: return "FORMERR";
            case 2: return "SERVFAIL";
            case 3: return "NXDOMAIN";
            case 4: return "NOTIMP";
            case 5: return "REFUSED";
            case 6: return "YXDOMAIN";
            case 7: return "YXRRSET";
            case 8: return "NXRRSET";
            case 9: return "NOTAUTH";
            case 10: return "NOTZONE";
            default: return "RCODE" + rcode;
        }
    }

    public static String typeName(int type) {
        switch (type) {
            case TYPE_A: return "A";
            case TYPE_NS: return "NS";
            case TYPE_CNAME: return "CNAME";
            case TYPE_SOA: return "SOA";
            case TYPE_PTR: return "PTR";
            case TYPE_MX: return "MX";
            case TYPE_TXT: return "TXT";
            case TYPE_AAAA: return "AAAA";
            case TYPE_SRV: return "SRV";
            case TYPE_OPT: return "OPT";
            case 64: return "SVCB";
            case 65: return "HTTPS";
            case 255: return "ANY";
            default: return "TYPE" + type;
        }
    }

    /** Parses a message; never throws. */
    public static DnsMessage parse(byte[] message) {
        return new Parser(message).parse();
    }

    /** Thrown inside the parser only, to stop at the first damage; never leaves {@link #parse}. */
    private static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Parser {
        private final byte[] m;
        private int pos;

        Parser(byte[] message) {
            this.m = message;
        }

        DnsMessage parse() {
            if (m.length < HEADER) {
                return new DnsMessage(m.length >= 2 ? u16(0) : -1, m.length >= 3 && (m[2] & 0x80) != 0, 0, 0, 0,
                        List.of(), List.of(), List.of(), List.of(),
                        "message of " + m.length + " bytes is shorter than the 12-byte header");
            }
            int id = u16(0);
            int flags = u16(2);
            int[] counts = {u16(4), u16(6), u16(8), u16(10)};
            List<Question> questions = new ArrayList<>();
            List<List<ResourceRecord>> sections = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            String error = "";
            pos = HEADER;
            String[] what = {"answer", "authority record", "additional record"};
            try {
                for (int i = 0; i < Math.min(counts[0], MAX_RECORDS); i++) {
                    String where = "question " + (i + 1);
                    String name = name(where);
                    need(4, where);
                    questions.add(new Question(name, u16(pos), u16(pos + 2)));
                    pos += 4;
                }
                for (int s = 0; s < 3; s++) {
                    for (int i = 0; i < Math.min(counts[s + 1], MAX_RECORDS); i++) {
                        sections.get(s).add(record(what[s] + " " + (i + 1)));
                    }
                }
                if (pos < m.length) {
                    error = (m.length - pos) + " bytes after the last record";
                }
            } catch (Damaged e) {
                error = e.getMessage();
            }
            return new DnsMessage(id, (flags & 0x8000) != 0, (flags >> 11) & 0xf, flags & 0xf, flags & 0x07f0,
                    questions, sections.get(0), sections.get(1), sections.get(2), error);
        }

        private ResourceRecord record(String where) throws Damaged {
            String name = name(where);
            need(10, where);
            int type = u16(pos);
            int dnsClass = u16(pos + 2);
            long ttl = Integer.toUnsignedLong(u32(pos + 4));
            int length = u16(pos + 8);
            pos += 10;
            if (length > m.length - pos) {
                throw new Damaged(where + ": its data of " + length + " bytes at offset " + pos
                        + " runs past the end of the " + m.length + "-byte message");
            }
            int start = pos;
            pos += length;
            return new ResourceRecord(name, type, dnsClass, ttl, rdata(type, start, length, where));
        }

        private String rdata(int type, int start, int length, String where) throws Damaged {
            switch (type) {
                case TYPE_A:
                    if (length == 4) {
                        return IpAddressText.of(m, start, 4);
                    }
                    break;
                case TYPE_AAAA:
                    if (length == 16) {
                        return IpAddressText.of(m, start, 16);
                    }
                    break;
                case TYPE_CNAME:
                case TYPE_NS:
                case TYPE_PTR:
                    return nameWithin(start, start + length, where);
                case TYPE_MX:
                    if (length >= 3) {
                        return u16(start) + " " + nameWithin(start + 2, start + length, where);
                    }
                    break;
                case TYPE_SRV:
                    if (length >= 7) {
                        return u16(start) + " " + u16(start + 2) + " " + u16(start + 4) + " "
                                + nameWithin(start + 6, start + length, where);
                    }
                    break;
                case TYPE_TXT:
                    return txt(start, start + length);
                case TYPE_SOA: {
                    int saved = pos;
                    pos = start;
                    String mname = name(where);
                    String rname = name(where);
                    int end = pos;
                    pos = saved;
                    if (end + 20 <= start + length) {
                        return mname + " " + rname + " " + Integer.toUnsignedLong(u32(end));
                    }
                    break;
                }
                default:
                    return length + " bytes";
            }
            return length + " bytes (malformed " + typeName(type) + ")";
        }

        /** A name that must end inside {@code [start, end)} (the RDATA); pointers may reach before it. */
        private String nameWithin(int start, int end, String where) throws Damaged {
            int saved = pos;
            pos = start;
            String name = name(where);
            if (pos > end) {
                throw new Damaged(where + ": the name in its data runs past the data's end");
            }
            pos = saved;
            return name;
        }

        private String txt(int start, int end) {
            StringBuilder text = new StringBuilder();
            int at = start;
            while (at < end) {
                int length = m[at] & 0xff;
                int stop = Math.min(end, at + 1 + length);
                text.append(text.length() == 0 ? "\"" : " \"");
                for (int i = at + 1; i < stop; i++) {
                    appendChar(text, m[i] & 0xff, '"');
                }
                text.append('"');
                at = at + 1 + length;
            }
            return text.toString();
        }

        /**
         * Reads a possibly compressed name at {@code pos}, leaving {@code pos}
         * after it. A pointer must point before itself, which rules out loops;
         * the hop and length limits catch the rest.
         */
        private String name(String where) throws Damaged {
            StringBuilder name = new StringBuilder();
            int at = pos;
            int after = -1; // where pos goes once the name is read: just past the first pointer
            int hops = 0;
            int wireLength = 1;
            while (true) {
                if (at >= m.length) {
                    throw new Damaged(where + ": the name at offset " + pos + " runs past the end of the "
                            + m.length + "-byte message");
                }
                int length = m[at] & 0xff;
                if (length == 0) {
                    at++;
                    break;
                }
                int kind = length & 0xc0;
                if (kind == 0xc0) {
                    if (at + 1 >= m.length) {
                        throw new Damaged(where + ": a compression pointer at offset " + at + " is cut off");
                    }
                    int target = ((length & 0x3f) << 8) | (m[at + 1] & 0xff);
                    if (target >= at) {
                        throw new Damaged(where + ": the compression pointer at offset " + at + " points to "
                                + target + ", not before itself (a loop)");
                    }
                    if (++hops > MAX_POINTERS) {
                        throw new Damaged(where + ": more than " + MAX_POINTERS + " compression pointers in one name");
                    }
                    if (after < 0) {
                        after = at + 2;
                    }
                    at = target;
                    continue;
                }
                if (kind != 0) {
                    throw new Damaged(where + ": label type 0x" + Integer.toHexString(kind) + " at offset " + at
                            + " is not defined");
                }
                if (at + 1 + length > m.length) {
                    throw new Damaged(where + ": a " + length + "-byte label at offset " + at
                            + " runs past the end of the " + m.length + "-byte message");
                }
                wireLength += 1 + length;
                if (wireLength > MAX_NAME) {
                    throw new Damaged(where + ": the name at offset " + pos + " is longer than 255 bytes");
                }
                if (name.length() > 0) {
                    name.append('.');
                }
                for (int i = at + 1; i <= at + length; i++) {
                    appendChar(name, m[i] & 0xff, '.');
                }
                at += 1 + length;
            }
            pos = after >= 0 ? after : at;
            return name.length() == 0 ? "." : name.toString();
        }

        /** Printable ASCII as is; the separator, backslash and the rest as dig shows them: {@code \.}, {@code \DDD}. */
        private static void appendChar(StringBuilder text, int c, char special) {
            if (c == special || c == '\\') {
                text.append('\\').append((char) c);
            } else if (c > 0x20 && c < 0x7f) {
                text.append((char) c);
            } else {
                text.append('\\').append(String.format("%03d", c));
            }
        }

        private void need(int bytes, String where) throws Damaged {
            if (pos + bytes > m.length) {
                throw new Damaged(where + ": needs " + bytes + " bytes at offset " + pos + ", the message has "
                        + (m.length - pos) + " left");
            }
        }

        private int u16(int at) {
            return (m[at] & 0xff) << 8 | (m[at + 1] & 0xff);
        }

        private int u32(int at) {
            return u16(at) << 16 | u16(at + 2);
        }
    }
}
