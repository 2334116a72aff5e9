package einhorn.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code bin/einhornsh} and captures what it prints. */
final class Shell {
    private Shell() {}

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code bin/einhornsh -d SOCK -e COMMANDS}, bounded by {@code timeout}. */
    static Result exec(Path sock, String commands, Duration timeout) {
        return run(timeout, "-d", sock.toString(), "-e", commands);
    }

    static Result exec(Path sock, String commands) {
        return exec(sock, commands, Duration.ofSeconds(30));
    }

    /** Starts {@code einhornsh -d SOCK -e COMMANDS} without waiting; join the future for the result. */
    static CompletableFuture<Result> execAsync(Path sock, String commands, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> exec(sock, commands, timeout), r -> Thread.ofPlatform().daemon().start(r));
    }

    static Result run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Env.einhornsh());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("einhornsh " + args + " did not finish within " + timeout + "; stdout so far: "
                        + new String(out.getNow(new byte[0]), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
