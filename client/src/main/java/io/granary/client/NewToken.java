package io.granary.client;

/** A token just created: its description and its secret, which the master answers only this once. */
public record NewToken(TokenMeta meta, String secret) {
    @Override
    public String toString() {
        return "NewToken[" + meta + ", secret=***]";
    }
}
