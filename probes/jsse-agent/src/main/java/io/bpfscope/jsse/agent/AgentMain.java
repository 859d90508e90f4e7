package io.bpfscope.jsse.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The entry point the JVM calls when bpfscope's jsse probe loads this agent (the attach protocol's
 * {@code load instrument}). It runs in the system class loader and does only this: puts the agent
 * jar on the bootstrap class path (the hooks are inlined into {@code java.base} classes, which see
 * only bootstrap classes), then hands over to {@link Installer} there. Loaded a second time (the
 * next recording), it finds the first instance by its system property and only connects it to the
 * new recording: hooks are never installed twice. Never throws into the target.
 */
public final class AgentMain {
    /** Set once the hooks are installed in this JVM; its value is the agent's version. */
    static final String INSTALLED_PROPERTY = "bpfscope.jsse.agent";

    private AgentMain() {
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        try {
            if (System.getProperty(INSTALLED_PROPERTY) == null) {
                File jar = new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
                System.setProperty(INSTALLED_PROPERTY, Installer.VERSION);
                bootstrapClass("io.bpfscope.jsse.agent.Installer")
                        .getMethod("install", Instrumentation.class, String.class, String.class)
                        .invoke(null, instrumentation, arguments, jar.getPath());
            } else {
                bootstrapClass("io.bpfscope.jsse.agent.Recorder")
                        .getMethod("connect", String.class).invoke(null, arguments);
            }
        } catch (Throwable e) {
            // The target must not be disturbed: the capture sees no hello and reports the pid as failed.
            if (Boolean.getBoolean("bpfscope.jsse.debug")) { e.printStackTrace(); }
        }
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        agentmain(arguments, instrumentation);
    }

    private static Class<?> bootstrapClass(String name) throws ClassNotFoundException {
        return Class.forName(name, true, null);
    }
}
