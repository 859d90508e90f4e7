package io.bpfscope.bridge.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Hand-assembles raw BTF for golden tests: type records word by word, names into the string section. */
final class BtfBlob {
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final List<Integer> words = new ArrayList<>();

    BtfBlob() {
        strings.write(0);
    }

    int name(String name) {
        if (name.isEmpty()) {
            return 0;
        }
        int at = strings.size();
        strings.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return at;
    }

    /** Appends one {@code struct btf_type} and the words that follow it. */
    BtfBlob type(String name, BtfKind kind, int vlen, boolean kindFlag, int sizeOrType, int... trailing) {
        words.add(name(name));
        words.add((kindFlag ? 1 << 31 : 0) | kind.ordinal() << 24 | vlen);
        words.add(sizeOrType);
        for (int word : trailing) {
            words.add(word);
        }
        return this;
    }

    byte[] build(ByteOrder order) {
        byte[] names = strings.toByteArray();
        int typeBytes = words.size() * 4;
        ByteBuffer out = ByteBuffer.allocate(24 + typeBytes + names.length).order(order);
        out.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24)
                .putInt(0).putInt(typeBytes).putInt(typeBytes).putInt(names.length);
        words.forEach(out::putInt);
        out.put(names);
        return out.array();
    }
}
