package io.bpfscope.jsse.agent;

import static net.bytebuddy.matcher.ElementMatchers.fieldType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the hooks, once per JVM, from the bootstrap class loader: JSSE's own classes get advice
 * inlined at the plaintext side (see {@link Hooks}); nothing else in the JVM is touched. Classes
 * loaded later (a JVM that has not done TLS yet) are transformed when they load.
 */
public final class Installer {
    static final String VERSION = "2";

    private static final String ENGINE = "sun.security.ssl.SSLEngineImpl";
    private static final String SOCKET_OUT = "sun.security.ssl.SSLSocketImpl$AppOutputStream";
    private static final String SOCKET_IN = "sun.security.ssl.SSLSocketImpl$AppInputStream";
    /** JDK 9, 10 and JDK 8 before 8u261 (before the TLS 1.3 rewrite): the streams are classes of their own. */
    private static final String LEGACY_SOCKET_OUT = "sun.security.ssl.AppOutputStream";
    private static final String LEGACY_SOCKET_IN = "sun.security.ssl.AppInputStream";
    private static final String SOCKET = "sun.security.ssl.SSLSocketImpl";

    private Installer() {
    }

    public static void install(Instrumentation instrumentation, String arguments, String jarPath) throws IOException {
        Recorder.connect(arguments);
        // The advice classes are read from the jar: the bootstrap loader does not hand out class files.
        final ClassFileLocator hooks = ClassFileLocator.ForJarFile.of(new File(jarPath));
        final List<String> hooked = new ArrayList<String>();
        AgentBuilder.Listener report = new AgentBuilder.Listener.Adapter() {
            @Override
            public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                         DynamicType dynamicType) {
                synchronized (hooked) {
                    hooked.add(type.getName());
                }
                Recorder.message("hooked " + type.getName());
            }

            @Override
            public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
                Recorder.message("could not hook " + typeName + ": " + error);
            }
        };
        // Our hooks need no injected classes: without this, Byte Buddy's set-up reaches for sun.misc.Unsafe,
        // which JDK 24 and later warn about on the target's stderr. (Our relocated copy's property only.)
        System.setProperty(net.bytebuddy.dynamic.Nexus.PROPERTY, "true");
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .with(report)
                // The default ignores bootstrap classes; JSSE is one. Only the three names below are matched.
                .ignore(nameStartsWith("io.bpfscope.jsse."))
                // java.base must read the bootstrap loader's unnamed module, where Recorder lives.
                .assureReadEdgeTo(instrumentation, Recorder.class)
                .type(named(ENGINE)).transform((builder, type, loader, module, domain) -> engine(builder, type, hooks))
                .type(named(SOCKET_OUT).or(named(LEGACY_SOCKET_OUT))).transform((builder, type, loader, module, domain) ->
                        builder.visit(socketAdvice(type).to(Hooks.SocketWrite.class, hooks)
                                .on(named("write").and(byteArrayWindow()))))
                .type(named(SOCKET_IN).or(named(LEGACY_SOCKET_IN))).transform((builder, type, loader, module, domain) ->
                        builder.visit(socketAdvice(type).to(Hooks.SocketRead.class, hooks)
                                .on(named("read").and(byteArrayWindow()))))
                .installOn(instrumentation);
    }

    /**
     * Binds {@link Hooks.SslSocket} to the stream's field that holds its SSLSocketImpl: {@code this$0}
     * for the inner classes of JDK 11 and later (and 8u261+), another name in the older separate classes.
     */
    private static Advice.WithCustomMapping socketAdvice(TypeDescription stream) {
        FieldList<FieldDescription.InDefinedShape> fields = stream.getDeclaredFields().filter(fieldType(named(SOCKET)));
        if (fields.size() != 1) {
            throw new IllegalStateException(stream.getName() + " has " + fields.size() + " fields of type " + SOCKET);
        }
        return Advice.withCustomMapping().bind(Hooks.SslSocket.class, fields.getOnly());
    }

    /** {@code (byte[], int, int)}: the one method every other write or read of the stream calls. */
    private static ElementMatcher.Junction<MethodDescription> byteArrayWindow() {
        return takesArguments(3).and(takesArgument(0, byte[].class)).and(takesArgument(1, int.class));
    }

    /**
     * The engine's wrap and unwrap. JDK 11 and later route every overload through the six-argument
     * forms ({@code srcs, off, len, dsts, off, len}); JDK 8's engine has only the four-argument ones.
     * Only the innermost form is hooked, so one call gives one event.
     */
    private static DynamicType.Builder<?> engine(DynamicType.Builder<?> builder, TypeDescription type,
                                                 ClassFileLocator hooks) {
        boolean sixArguments = !type.getDeclaredMethods()
                .filter(named("unwrap").and(takesArguments(6)).and(takesArgument(0, ByteBuffer[].class))).isEmpty();
        if (sixArguments) {
            return builder
                    .visit(Advice.to(Hooks.Wrap.class, hooks).on(named("wrap").and(takesArguments(6))
                            .and(takesArgument(0, ByteBuffer[].class))))
                    .visit(Advice.to(Hooks.UnwrapSix.class, hooks).on(named("unwrap").and(takesArguments(6))
                            .and(takesArgument(0, ByteBuffer[].class))));
        }
        return builder
                .visit(Advice.to(Hooks.Wrap.class, hooks).on(named("wrap").and(takesArguments(4))
                        .and(takesArgument(0, ByteBuffer[].class))))
                .visit(Advice.to(Hooks.UnwrapFour.class, hooks).on(named("unwrap").and(takesArguments(4))
                        .and(takesArgument(1, ByteBuffer[].class))));
    }
}
