package einhorn.it;

/** One line of the master's output, with the CLOCK_MONOTONIC time ({@link System#nanoTime}) it arrived. */
record Line(long nanos, String text) {
    @Override
    public String toString() {
        return text;
    }
}
