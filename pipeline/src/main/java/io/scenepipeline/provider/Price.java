package io.scenepipeline.provider;

import io.scenepipeline.support.SettingsException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One price of the price table: {@code <rate> per <unit>}, or rates by variant ({@code 480p:0.03,1080p:0.15 per
 * video-second}). Units: {@code image} (per output), {@code video-second} (per second of video made),
 * {@code run-second} (per second the prediction ran, its {@code metrics.predict_time}), {@code character} (per
 * character spoken).
 */
public record Price(Map<String, Double> rates, String unit) {

    public static final String IMAGE = "image";
    public static final String VIDEO_SECOND = "video-second";
    public static final String RUN_SECOND = "run-second";
    public static final String CHARACTER = "character";

    /** @param key the setting, for the message */
    public static Price parse(String key, String value) {
        String v = value.trim();
        int per = v.toLowerCase(Locale.ROOT).lastIndexOf(" per ");
        if (per < 0) {
            throw new SettingsException(key + ": must be '<price> per <unit>', got '" + value + "'");
        }
        String unit = v.substring(per + 5).trim();
        if (!unit.equals(IMAGE) && !unit.equals(VIDEO_SECOND) && !unit.equals(RUN_SECOND) && !unit.equals(CHARACTER)) {
            throw new SettingsException(key + ": unknown unit '" + unit + "'; one of image, video-second, run-second, character");
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String part : v.substring(0, per).split(",")) {
            String p = part.trim();
            int colon = p.indexOf(':');
            try {
                double rate = Double.parseDouble(colon < 0 ? p : p.substring(colon + 1).trim());
                if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
                    throw new NumberFormatException();
                }
                rates.put(colon < 0 ? "" : p.substring(0, colon).trim(), rate);
            } catch (NumberFormatException e) {
                throw new SettingsException(key + ": '" + p + "' is not a price in USD");
            }
        }
        return new Price(Map.copyOf(rates), unit);
    }

    /** The rate for {@code variant} (a resolution), or the flat one. */
    public double rate(String variant) {
        Double r = variant == null ? null : rates.get(variant);
        if (r == null) {
            r = rates.get("");
        }
        if (r == null) {
            throw new IllegalStateException("no price for " + variant + " among " + rates.keySet());
        }
        return r;
    }

    /** {@code quantity} units at the {@code variant}'s rate, in USD. */
    public double cost(double quantity, String variant) {
        return quantity * rate(variant);
    }
}
