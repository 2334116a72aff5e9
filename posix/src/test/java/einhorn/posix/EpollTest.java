package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EpollTest {
    @Test
    void reportsReadinessForTheRightFd() {
        int[] a = Sockets.socketPair();
        int[] b = Sockets.socketPair();
        try (Epoll epoll = new Epoll()) {
            epoll.add(a[0], Epoll.IN);
            epoll.add(b[0], Epoll.IN);
            assertThat(epoll.poll(0)).isZero();

            Io.write(b[1], new byte[] {42}, 0, 1);
            assertThat(epoll.poll(5_000)).isEqualTo(1);
            assertThat(epoll.readyFd(0)).isEqualTo(b[0]);
            assertThat(epoll.readyEvents(0) & Epoll.IN).isNotZero();
            assertThatThrownBy(() -> epoll.readyFd(1)).isInstanceOf(IndexOutOfBoundsException.class);

            Io.write(a[1], new byte[] {7}, 0, 1);
            Map<Integer, Integer> ready = new HashMap<>();
            int n = epoll.poll(5_000);
            for (int i = 0; i < n; i++) {
                ready.put(epoll.readyFd(i), epoll.readyEvents(i));
            }
            assertThat(ready).containsOnlyKeys(a[0], b[0]);
        } finally {
            Proc.closeAll(a[0], a[1], b[0], b[1]);
        }
    }

    @Test
    void modifyAndRemove() {
        int[] pair = Sockets.socketPair();
        try (Epoll epoll = new Epoll()) {
            epoll.add(pair[0], Epoll.IN);
            assertThat(epoll.poll(0)).isZero();
            epoll.modify(pair[0], Epoll.OUT);
            assertThat(epoll.poll(5_000)).isEqualTo(1);
            assertThat(epoll.readyEvents(0)).isEqualTo(Epoll.OUT);

            epoll.remove(pair[0]);
            assertThat(epoll.poll(0)).isZero();
            epoll.remove(pair[0]); // ENOENT ignored
            epoll.remove(9999); // EBADF ignored
            assertThatThrownBy(() -> epoll.modify(pair[0], Epoll.IN))
                    .isInstanceOfSatisfying(ErrnoException.class,
                            e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT));
            epoll.add(pair[0], Epoll.IN);
            assertThatThrownBy(() -> epoll.add(pair[0], Epoll.IN))
                    .isInstanceOfSatisfying(ErrnoException.class,
                            e -> assertThat(e.errno()).isEqualTo(ErrnoException.EEXIST));
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void peerCloseIsReportedAsRdhupAndIn() {
        int[] pair = Sockets.socketPair();
        try (Epoll epoll = new Epoll()) {
            epoll.add(pair[0], Epoll.IN | Epoll.RDHUP);
            Io.close(pair[1]);
            assertThat(epoll.poll(5_000)).isEqualTo(1);
            assertThat(epoll.readyEvents(0) & (Epoll.RDHUP | Epoll.IN))
                    .isEqualTo(Epoll.RDHUP | Epoll.IN);
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void timesOutWithZero() {
        int[] pair = Sockets.socketPair();
        try (Epoll epoll = new Epoll()) {
            epoll.add(pair[0], Epoll.IN);
            long start = System.nanoTime();
            assertThat(epoll.poll(30)).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(25_000_000L);
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void infiniteWaitWakesOnData() throws InterruptedException {
        int[] pair = Sockets.socketPair();
        try (Epoll epoll = new Epoll()) {
            epoll.add(pair[0], Epoll.IN);
            // The data may arrive before or while poll blocks; either way it must return.
            Thread t = Thread.ofPlatform().start(
                    () -> Io.write(pair[1], new byte[] {1}, 0, 1));
            assertThat(epoll.poll(-1)).isEqualTo(1);
            t.join();
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void closeIsIdempotent() {
        Epoll epoll = new Epoll();
        epoll.close();
        epoll.close();
    }

    @Test
    void epollFdIsCloexec() {
        Set<Integer> before = epollFds();
        try (Epoll epoll = new Epoll()) {
            Set<Integer> added = epollFds();
            added.removeAll(before);
            assertThat(added).hasSize(1);
            int epfd = added.iterator().next();
            assertThat(Proc.fdFlags(epfd) & 02000000).isNotZero();
            epoll.close();
            assertThat(epollFds()).doesNotContain(epfd);
        }
    }

    private static Set<Integer> epollFds() {
        Set<Integer> fds = new TreeSet<>();
        for (int fd : Proc.fdTable("self")) {
            if ("anon_inode:[eventpoll]".equals(Proc.fdTarget("self", fd))) {
                fds.add(fd);
            }
        }
        return fds;
    }
}
