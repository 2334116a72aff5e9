package einhorn.protocol;

import java.util.Objects;

/** A Ruby symbol in a state tree: YAML writes it {@code :name}, JSON writes it as the string {@code "name"}. */
public record Sym(String name) {
    public Sym {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return ":" + name;
    }
}
