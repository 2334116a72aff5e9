/**
 * The native boundary of Einhorn: the only package that uses java.lang.foreign.
 *
 * <p>Linux x86_64 with glibc 2.34 or later only (posix_spawn_file_actions_addclosefrom_np,
 * close_range). Struct layouts, flag values and errno numbers are written out for that platform
 * rather than read from headers; each class says which ones it relies on. Every function is called
 * through one shared downcall shape (see Native: each distinct shape costs milliseconds to link),
 * and its symbol is looked up on first use.
 *
 * <p>Failed calls throw {@link einhorn.posix.ErrnoException}; the few outcomes a caller expects
 * in normal operation (EAGAIN, ESRCH on kill, no child ready) are return values instead.
 */
package einhorn.posix;
