package einhorn.master;

/** This product's version string (SPEC §0). */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {}
}
