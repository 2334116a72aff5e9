package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProcTitleTest {
    /** Length of the argv area, which set() never changes. */
    private static int areaLength() {
        String[] f = Proc.statFields("self");
        return (int) (Long.parseLong(f[46]) - Long.parseLong(f[45]));
    }

    @Test
    void titleReplacesTheCommandLine() {
        int area = areaLength();
        assertThat(ProcTitle.set("einhorn: master test", "einhorn-test")).isTrue();
        byte[] cmdline = Proc.readBytes("/proc/self/cmdline");
        byte[] title = "einhorn: master test".getBytes(StandardCharsets.UTF_8);
        assertThat(cmdline).hasSize(area);
        assertThat(Arrays.copyOf(cmdline, title.length)).isEqualTo(title);
        for (int i = title.length; i < cmdline.length; i++) {
            assertThat(cmdline[i]).as("byte %d", i).isZero();
        }
        assertThat(Proc.readString("/proc/self/comm").strip()).isEqualTo("einhorn-test");
    }

    @Test
    void psShowsTheTitle() {
        assertThat(ProcTitle.set("einhorn: ps sees me", "einhorn-ps")).isTrue();
        if (!Files.isExecutable(Path.of("/bin/ps")) && !Files.isExecutable(Path.of("/usr/bin/ps"))) {
            return; // procps is not installed; the cmdline test covers the kernel side.
        }
        String out = Proc.runReporting("ps -o args= -p \"$1\" >&3; ps -o comm= -p \"$1\" >&3",
                Integer.toString(Posix.getpid()));
        assertThat(out.lines().map(String::strip).toList())
                .containsExactly("einhorn: ps sees me", "einhorn-ps");
    }

    @Test
    void longTitlesAreCutAndLongNamesTooFifteenBytes() {
        int area = areaLength();
        String longTitle = "T".repeat(area + 100);
        assertThat(ProcTitle.set(longTitle, "a-very-long-process-name")).isTrue();
        byte[] cmdline = Proc.readBytes("/proc/self/cmdline");
        assertThat(cmdline).hasSize(area);
        assertThat(new String(cmdline, 0, area - 1, StandardCharsets.US_ASCII))
                .isEqualTo("T".repeat(area - 1));
        assertThat(cmdline[area - 1]).isZero();
        assertThat(Proc.readString("/proc/self/comm").strip()).isEqualTo("a-very-long-pro");
    }

    @Test
    void multiByteNamesAreNotCutInsideACharacter() {
        // 14 ASCII bytes, then a 2-byte character that would straddle byte 15.
        assertThat(ProcTitle.set("x", "abcdefghijklmnü")).isTrue();
        assertThat(Proc.readString("/proc/self/comm").strip()).isEqualTo("abcdefghijklmn");
    }
}
