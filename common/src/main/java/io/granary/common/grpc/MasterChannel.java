package io.granary.common.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel to whichever of several masters is active. Masters sharing one Redis take turns: one is
 * active and the others refuse every call as {@link StandbyRefusal}s. This channel keeps a channel per
 * listed address and sends each new call to the master it believes active, learning from how calls
 * end: a standby's refusal that names a listed master moves it there; a refusal naming none, or a plain
 * UNAVAILABLE or a deadline (the master is down, unreachable, or gone without closing its
 * connections), moves it to the next address in the list, round robin. A master that did not
 * answer stays suspect for {@link #SUSPECT_FOR}: refusals naming it are not followed meanwhile, so a
 * standby still naming a dead master (its lease has not lapsed yet) is asked again instead. Only a call that went to the current target moves it, so calls that fail together at a dead
 * master move it once, not once each. With one address it behaves as a plain channel to it.
 *
 * <p>It does not send anything again: a failed call fails to its caller, and the next call goes to the
 * new target ({@link MasterRetry} decides what may be sent again). Thread-safe and lock-free; the
 * target is one atomic index. Calls already started stay on the channel they started on.
 */
public final class MasterChannel extends Channel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterChannel.class);
    /**
     * How long a master that did not answer (UNAVAILABLE without a refusal, or a deadline) is passed
     * over when a standby names it: about a lease, the time a dead master's lease takes to lapse.
     */
    static final Duration SUSPECT_FOR = Duration.ofSeconds(10);
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\s\\[\\],]+):(\\d{1,5})");

    private final List<String> addresses;
    private final List<Channel> channels;
    /** The channels this one opened and closes; empty when they are borrowed from a {@link ChannelPool}. */
    private final List<ManagedChannel> owned;
    private final Duration closeGrace;
    private final AtomicInteger target = new AtomicInteger();
    /** Per address: until when (on {@link #clock}) it is suspect of being gone; 0 when it answered last. */
    private final AtomicLongArray suspectUntil;
    private final LongSupplier clock;

    private MasterChannel(List<String> addresses, List<Channel> channels, List<ManagedChannel> owned,
                          Duration closeGrace) {
        this.addresses = List.copyOf(addresses);
        this.channels = List.copyOf(channels);
        this.owned = List.copyOf(owned);
        this.closeGrace = closeGrace;
        this.suspectUntil = new AtomicLongArray(addresses.size());
        this.clock = System::nanoTime;
    }

    /**
     * A channel to the masters in {@code addressList} ({@code host:port[,host:port...]}), one channel
     * per address made by {@code opener} (which chooses security, executors and interceptors) and
     * owned by this one: {@link #close()} shuts them down with {@link ChannelPool#DEFAULT_CLOSE_GRACE}.
     *
     * @throws IllegalArgumentException when the list is not valid (see {@link #parseAddresses})
     */
    public static MasterChannel open(String addressList, Function<String, ManagedChannel> opener) {
        List<String> addresses = parseAddresses(addressList);
        List<ManagedChannel> opened = new ArrayList<>();
        try {
            addresses.forEach(address -> opened.add(opener.apply(address)));
        } catch (RuntimeException e) {
            opened.forEach(ManagedChannel::shutdownNow);
            throw e;
        }
        return new MasterChannel(addresses, List.copyOf(opened), opened, ChannelPool.DEFAULT_CLOSE_GRACE);
    }

    /**
     * A channel to the masters in {@code addressList} over {@code pool}'s channels, which stay the
     * pool's: {@link #close()} closes nothing.
     *
     * @throws IllegalArgumentException when the list is not valid (see {@link #parseAddresses})
     */
    public static MasterChannel over(String addressList, ChannelPool pool) {
        List<String> addresses = parseAddresses(addressList);
        return new MasterChannel(addresses, addresses.stream().map(pool::channel).toList(), List.of(), Duration.ZERO);
    }

    /**
     * The addresses of {@code addressList}, in order: {@code host:port} items separated by commas
     * (spaces around them ignored), each host a name, an IPv4 address or a bracketed IPv6 address
     * ({@code [::1]:7070}), each port 1 to 65535, none listed twice.
     *
     * @throws IllegalArgumentException naming the first item that is not valid
     */
    public static List<String> parseAddresses(String addressList) {
        if (addressList == null || addressList.isBlank()) {
            throw new IllegalArgumentException("no master address given: expected host:port[,host:port...]");
        }
        List<String> addresses = new ArrayList<>();
        for (String item : addressList.split(",", -1)) {
            String address = item.strip();
            if (address.isEmpty()) {
                throw new IllegalArgumentException("empty item in the master address list '" + addressList
                        + "': expected host:port[,host:port...]");
            }
            Matcher m = HOST_PORT.matcher(address);
            if (!m.matches()) {
                throw new IllegalArgumentException("master address '" + address
                        + "' is not host:port, like 10.0.0.5:7070, master-1:7070 or [::1]:7070");
            }
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("master address '" + address + "' has port " + port
                        + ", outside 1 to 65535");
            }
            if (addresses.contains(address)) {
                throw new IllegalArgumentException("master address '" + address + "' is listed twice");
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }

    /** The first address of {@code addressList}: the one to look at for what network the masters are on. */
    public static String firstAddress(String addressList) {
        return parseAddresses(addressList).get(0);
    }

    /** The masters' addresses, in the order given. */
    public List<String> addresses() {
        return addresses;
    }

    /** How many masters are listed. */
    public int size() {
        return addresses.size();
    }

    /** The address new calls go to now. */
    public String currentAddress() {
        return addresses.get(target.get());
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions callOptions) {
        int sentTo = target.get();
        return new WatchedCall<>(channels.get(sentTo).newCall(method, callOptions), sentTo);
    }

    /** The current target's authority; the masters' certificates must each cover the name they are reached by. */
    @Override
    public String authority() {
        return channels.get(target.get()).authority();
    }

    /**
     * Shuts the channels this one opened down: calls in flight may finish within the close grace, then
     * are cancelled. Closes nothing when the channels are a pool's. Idempotent.
     */
    @Override
    public void close() {
        owned.forEach(ManagedChannel::shutdown); // all first, so the grace periods run side by side
        owned.forEach(channel -> ChannelPool.shutdownGracefully(channel, closeGrace));
    }

    /** Moves the target after a call to {@code sentTo} ended with {@code status}. */
    void learn(int sentTo, Status status, Metadata trailers) {
        if (addresses.size() == 1) {
            return;
        }
        boolean refused = StandbyRefusal.isRefusal(status, trailers);
        boolean silent = !refused && (status.getCode() == Status.Code.UNAVAILABLE
                || status.getCode() == Status.Code.DEADLINE_EXCEEDED);
        if (silent) {
            suspectUntil.set(sentTo, clock.getAsLong() + SUSPECT_FOR.toNanos());
        } else {
            suspectUntil.set(sentTo, 0); // it answered: alive
        }
        if (!refused && !silent) {
            return;
        }
        int next = nextTarget(sentTo, refused ? trailers : null);
        if (next != sentTo && target.compareAndSet(sentTo, next)) {
            log.info("master at {} answered {}; following the master at {}", addresses.get(sentTo),
                    refused ? "as a standby" : status.getCode() + " (" + status.getDescription() + ")",
                    addresses.get(next));
        }
    }

    /**
     * Where to go after {@code sentTo} refused (naming the active master in {@code trailers}, or
     * none) or did not answer ({@code trailers} null). A named master is followed unless it did not
     * answer lately itself (a standby names the active master until the lease of a dead one lapses):
     * then the next listed master that is neither suspect nor named, or {@code sentTo} again when
     * there is none. Otherwise the next listed master that is not suspect, in turn; the plain next
     * one when all are.
     */
    private int nextTarget(int sentTo, Metadata trailers) {
        Optional<Integer> named = trailers == null ? Optional.empty()
                : StandbyRefusal.activeMaster(trailers).flatMap(this::indexOf).filter(index -> index != sentTo);
        if (named.isPresent()) {
            if (!suspect(named.get())) {
                return named.get();
            }
            return nextNotSuspect(sentTo, named.get()).orElse(sentTo);
        }
        return nextNotSuspect(sentTo, -1).orElse((sentTo + 1) % addresses.size());
    }

    /** The first address after {@code from}, in turn, that is neither suspect nor {@code excluded}. */
    private Optional<Integer> nextNotSuspect(int from, int excluded) {
        for (int step = 1; step < addresses.size(); step++) {
            int candidate = (from + step) % addresses.size();
            if (candidate != excluded && !suspect(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private boolean suspect(int index) {
        long until = suspectUntil.get(index);
        return until != 0 && clock.getAsLong() - until < 0;
    }

    /** Where {@code address} is listed; host names compare without regard to case. */
    private Optional<Integer> indexOf(String address) {
        String wanted = address.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.get(i).toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** A call that tells its channel how it ended. */
    private final class WatchedCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
        private final int sentTo;

        WatchedCall(ClientCall<Q, R> delegate, int sentTo) {
            super(delegate);
            this.sentTo = sentTo;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    learn(sentTo, status, trailers);
                    super.onClose(status, trailers);
                }
            }, headers);
        }
    }
}
