package io.scenepipeline.provider.replicate;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where output files may be fetched from. A prediction's output URL is data from the network, so it is fetched
 * only over https from {@code replicate.download-hosts} (and their subdomains), or from the host of
 * {@code replicate.base-url} itself (so the simulator and test stubs work over http on loopback). Other schemes
 * ({@code file:}, {@code jar:}, …), other hosts and hosts that resolve to private or local addresses are refused.
 * Redirects are not followed ({@code camel.component.http.followRedirects=false}).
 */
public final class DownloadPolicy {

    private final URI base;
    private final List<String> hosts;

    public DownloadPolicy(URI base, List<String> hosts) {
        this.base = base;
        this.hosts = List.copyOf(hosts);
    }

    /**
     * Whether a download from {@code uri} carries the API token: only to the API's own host and to
     * {@code replicate.download-hosts} (Replicate's file hosts), never elsewhere.
     */
    public boolean sendsToken(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals(base.getHost().toLowerCase(Locale.ROOT)) || hosts.stream().anyMatch(h -> host.equals(h) || host.endsWith("." + h));
    }

    /** The URL to fetch, or a {@link ForbiddenDownloadException} saying why not. */
    public URI check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ForbiddenDownloadException("Refusing to download the output: not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ForbiddenDownloadException("Refusing to download the output from a " + (scheme.isEmpty() ? "relative" : scheme + ":")
                    + " URL; only https is allowed");
        }
        if (host.isEmpty()) {
            throw new ForbiddenDownloadException("Refusing to download the output: the URL has no host");
        }
        if (host.equals(base.getHost().toLowerCase(Locale.ROOT)) && port(uri) == port(base) && scheme.equals(base.getScheme())) {
            return uri;
        }
        if (hosts.stream().noneMatch(h -> host.equals(h) || host.endsWith("." + h))) {
            throw new ForbiddenDownloadException("Refusing to download the output from " + host
                    + ": not a host in replicate.download-hosts (" + String.join(", ", hosts) + ")");
        }
        if (!scheme.equals("https")) {
            throw new ForbiddenDownloadException("Refusing to download the output from " + host + " over plain http; only https is allowed");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                        || a.isMulticastAddress() || isUniqueLocal(a)) {
                    throw new ForbiddenDownloadException("Refusing to download the output from " + host
                            + ": it resolves to the private address " + a.getHostAddress());
                }
            }
        } catch (UnknownHostException e) {
            // the download itself will fail with a clear error
        }
        return uri;
    }

    private static boolean isUniqueLocal(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
