package io.granary.master.auth;

/** A token just created: its record, and its secret, which exists nowhere else from now on. */
public record IssuedToken(TokenRecord record, String secret) {
    @Override
    public String toString() {
        return "IssuedToken[" + record + ", secret=***]";
    }
}
