package io.scenepipeline.support;

import java.util.List;

/** Replaces the configured API keys and tokens in a text, before it is logged or written anywhere. */
public final class Secrets {

    private final List<String> secrets;

    public Secrets(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }
}
