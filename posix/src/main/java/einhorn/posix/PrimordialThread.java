package einhorn.posix;

import static einhorn.posix.Native.INT;
import static einhorn.posix.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;

/**
 * Runs work on the process's primordial thread (tid == pid), the one thread that survives every
 * exec of the master.
 *
 * <p>Why: a child's parent-death signal (PR_SET_PDEATHSIG) fires when the <em>thread</em> that
 * created it ends. The java launcher runs main() in a second thread, and an exec ends every
 * thread but the caller, so workers spawned by main() would be signalled by the next reload.
 * The primordial thread, though, is the previous image's exec caller and lives as long as the
 * process; if it both spawns the workers and performs each exec, it is their parent thread
 * forever. The launcher keeps it parked in pthread_join, so it is reached with a thread-directed
 * real-time signal whose handler is an FFM upcall.
 */
public final class PrimordialThread {
    /** SIGRTMIN+11 (glibc's SIGRTMIN is 34); HotSpot's suspend signal is moved to 40. */
    public static final int SIGNAL = 45;
    private static final int SA_RESTART = 0x10000000;
    private static final int SA_NODEFER = 0x40000000;
    // glibc x86_64 struct sigaction: handler @0, sa_mask @8 (128 bytes), sa_flags @136, restorer @144.
    private static final long SIGACTION_SIZE = 152;
    private static final long SA_FLAGS = 136;

    /** One unit of work for the primordial thread, and where its outcome goes. */
    private record Job(Supplier<?> work, java.util.concurrent.CompletableFuture<Object> outcome) {}

    private static final java.util.concurrent.LinkedBlockingQueue<Job> JOBS = new java.util.concurrent.LinkedBlockingQueue<>();
    private static boolean installed;
    private static boolean started;
    private static volatile boolean serving;

    private PrimordialThread() {}

    private static final Native.Fn SIGACTION = Native.fn("sigaction");
    private static final Native.Fn TGKILL = Native.fn("tgkill");
    private static final Native.Fn GETTID = Native.fn("gettid");

    /** Installs the handler; call once, from the thread that will use {@link #call}. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(PrimordialThread.class, "onSignal",
                    MethodType.methodType(void.class, int.class));
            MemorySegment stub = Linker.nativeLinker().upcallStub(target,
                    FunctionDescriptor.ofVoid(INT), Arena.global());
            MemorySegment act = Arena.global().allocate(SIGACTION_SIZE, 8);
            act.set(PTR, 0, stub);
            act.set(INT, SA_FLAGS, SA_RESTART | SA_NODEFER);
            MemorySegment st = Native.state();
            int r = (int) SIGACTION.call(st, SIGNAL, act.address(), 0);
            if (r < 0) {
                throw new ErrnoException("sigaction", Native.errno(st));
            }
            installed = true;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** True when the calling thread is the primordial one. */
    public static boolean isCurrent() {
        return (int) GETTID.call(Native.state()) == Posix.getpid();
    }

    /**
     * Runs {@code work} on the primordial thread and returns its result (or rethrows its
     * RuntimeException). The first call sends the one signal: its handler never returns but
     * serves jobs from a queue for the life of the process, so no signal is ever delivered into
     * a running upcall (HotSpot aborts on that) and a failed job leaves the server running.
     */
    @SuppressWarnings("unchecked")
    public static <T> T call(Supplier<T> work) {
        if (!installed) {
            throw new IllegalStateException("PrimordialThread.install() was not called");
        }
        if (isCurrent()) {
            return work.get();
        }
        Job job = new Job(work, new java.util.concurrent.CompletableFuture<>());
        JOBS.add(job);
        startServing();
        try {
            return (T) job.outcome().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("work on the primordial thread failed: " + e.getCause(), e.getCause());
        }
    }

    private static synchronized void startServing() {
        if (started) {
            return;
        }
        started = true;
        int pid = Posix.getpid();
        MemorySegment st = Native.state();
        int r = (int) TGKILL.call(st, pid, pid, SIGNAL);
        if (r < 0) {
            started = false;
            throw new ErrnoException("tgkill", Native.errno(st));
        }
    }

    /** The signal handler (an upcall, on the primordial thread): serves jobs, never returns. */
    private static void onSignal(int sig) {
        if (serving) {
            return;
        }
        serving = true;
        while (true) {
            Job job;
            try {
                job = JOBS.take();
            } catch (InterruptedException e) {
                continue;
            }
            try {
                job.outcome().complete(job.work().get());
            } catch (Throwable t) {
                job.outcome().completeExceptionally(t);
            }
        }
    }
}
