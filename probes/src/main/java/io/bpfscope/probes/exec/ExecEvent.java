package io.bpfscope.probes.exec;

import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A program started (retval 0) or an exec that failed (retval -errno). */
public record ExecEvent(EventHeader header, int ppid, int retval, String filename, List<String> argv,
                        boolean argsTruncated, boolean filenameTruncated) implements DecodedEvent {

    public boolean failed() {
        return retval != 0;
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ppid", ppid);
        fields.put("uid", header.uid());
        fields.put("filename", filename);
        fields.put("argv", argv);
        fields.put("args_truncated", argsTruncated);
        fields.put("filename_truncated", filenameTruncated);
        fields.put("retval", retval);
        if (failed()) {
            fields.put("error", Errno.name(retval));
        }
        return fields;
    }

    @Override
    public Object field(String name) {
        switch (name) {
            case "ppid": return ppid;
            case "uid": return header.uid();
            case "filename": return filename;
            case "argv": return argv;
            case "args_truncated": return argsTruncated;
            case "filename_truncated": return filenameTruncated;
            case "retval": return retval;
            case "error": return failed() ? Errno.name(retval) : null;
            default: return null;
        }
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder();
        if (failed()) {
            text.append(Errno.name(retval)).append(' ');
        }
        text.append(filename);
        for (int i = 1; i < argv.size(); i++) {
            text.append(' ').append(argv.get(i));
        }
        if (argsTruncated) {
            text.append(" …");
        }
        return text.toString();
    }
}
