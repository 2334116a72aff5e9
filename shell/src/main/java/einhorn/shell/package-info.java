/**
 * {@code einhornsh}, the command shell (SPEC §15).
 *
 * <p>{@link einhorn.shell.Main} parses the command line ({@code Options}), connects once
 * ({@code MasterConnection}), and hands lines to a {@code Session}, which cuts them into commands
 * ({@code CommandSplitter}), sends each as framed JSON with the next id, and prints every reply's message
 * until the final one. Lines come from {@code -e}, from stdin, or, when stdin is a terminal, from JLine in
 * {@code Interactive}, the only class that touches JLine, so that scripted runs start fast.
 */
package einhorn.shell;
