package io.scenepipeline.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Plan ids decide folder and file names, so they are reduced to a safe form: letters, digits, {@code -} and
 * {@code _}, at most 64 characters, never a reserved device name. Anything else is replaced and a short hash of
 * the original is appended, so two different unsafe ids never collapse into one folder.
 */
public final class PlanIds {

    public static final int MAX_LENGTH = 64;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    private static final Pattern UNSAFE_RUN = Pattern.compile("[^A-Za-z0-9_-]+");
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private PlanIds() {
    }

    /** The plan id to use: the declared one when given, else the file name without {@code .json}. */
    public static String choose(String declaredId, String fileName) {
        String raw = declaredId != null ? declaredId : stripJson(fileName);
        return safe(raw);
    }

    public static boolean isSafe(String id) {
        return id != null && SAFE.matcher(id).matches() && !RESERVED.contains(id.toUpperCase(Locale.ROOT));
    }

    /** {@code id} itself when safe, else a readable safe form plus a short hash of the original. */
    public static String safe(String id) {
        if (isSafe(id)) {
            return id;
        }
        String original = id == null ? "" : id;
        String readable = UNSAFE_RUN.matcher(original).replaceAll("-").replaceAll("^[-_]+|[-_]+$", "");
        String hash = shortHash(original);
        int room = MAX_LENGTH - hash.length() - 1;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        return readable.isEmpty() ? "plan-" + hash : readable + "-" + hash;
    }

    private static String stripJson(String fileName) {
        String name = fileName == null ? "" : fileName;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        return name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private static String shortHash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
