package einhorn.shell;
public final class Main { public static void main(String[] a) {} }
