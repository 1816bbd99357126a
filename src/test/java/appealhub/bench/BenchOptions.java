package appealhub.bench;

import java.util.Map;

/** The bench commands' options: {@code --name value} or {@code --name=value}, each one known in advance. */
final class BenchOptions {
    private BenchOptions() {
    }

    /** Puts every option given into {@code options}, whose keys (with their defaults) are the known options. */
    static Map<String, String> parse(String[] args, Map<String, String> options) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + arg);
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(arg + " needs a value");
                value = args[++i];
            }
            if (!options.containsKey(key)) throw new IllegalArgumentException("unknown option --" + key);
            options.put(key, value);
        }
        return options;
    }
}
