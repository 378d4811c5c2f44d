package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.TruncatedDownloadException;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.MalformedResponseException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;


/**
 * A prediction's output, fetched (only from the allowed hosts, streamed to the step's file, at most
 * {@code replicate.max-download-bytes}) or decoded from a {@code data:} URI, then journaled as the step's result.
 */
public final class PredictionOutputs {

    private static final Logger LOG = Logs.of(PredictionOutputs.class);

    private final ReplicateSettings settings;
    private final StepJournal journal;
    private final DownloadPolicy downloads;
    private final ReplicateSteps replicate;
    private final Prices prices;

    public PredictionOutputs(ReplicateSettings settings, StepJournal journal, ReplicateSteps replicate, Prices prices) {
        this.prices = prices;
        this.settings = settings;
        this.journal = journal;
        this.replicate = replicate;
        this.downloads = new DownloadPolicy(settings.baseUrl(), settings.downloadHosts());
    }

    public boolean outputIsDataUri(Exchange exchange) {
        return PredictionCall.of(exchange).output.startsWith("data:");
    }

    public void prepareDownload(Exchange exchange) {
        String url = PredictionCall.of(exchange).output;
        URI uri = downloads.check(url);
        Message in = HttpRequest.start(exchange, "GET", null);
        in.setHeader(Exchange.HTTP_URI, url);
        if (downloads.sendsToken(uri)) {
            replicate.authorize(in);
        }
    }

    /**
     * Streams the downloaded body to the step's file; a body shorter than announced is a truncated download, one
     * larger than {@code replicate.max-download-bytes} is refused.
     */
    public void storeDownload(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        Path target = target(exchange);
        Long announced = exchange.getIn().getHeader("Content-Length", Long.class);
        long max = settings.maxDownloadBytes();
        if (announced != null && announced > max) {
            throw new ForbiddenDownloadException("Refusing the output of " + announced + " bytes: more than replicate.max-download-bytes (" + max + ")");
        }
        long written;
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            written = AtomicFiles.write(target, new LimitedInputStream(in, max));
        } catch (InvalidPayloadException e) {
            throw new MalformedResponseException("Replicate output download answered with no body");
        }
        if (announced != null && announced != written) {
            Files.deleteIfExists(target);
            throw new TruncatedDownloadException("Download of " + PredictionCall.of(exchange).output + " ended after "
                    + written + " of " + announced + " bytes");
        }
        stored(exchange, target);
    }

    public void storeDataUri(Exchange exchange) throws IOException {
        String uri = PredictionCall.of(exchange).output;
        int comma = uri.indexOf(',');
        if (comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            throw new MalformedResponseException("Replicate output is a data: URI that is not base64");
        }
        long max = settings.maxDataUriBytes();
        if ((uri.length() - comma - 1) / 4L * 3 > max) {
            throw new ForbiddenDownloadException("Refusing a data: URI output of about " + (uri.length() - comma - 1) / 4L * 3
                    + " bytes: more than pipeline.max-data-uri-bytes (" + max + ")");
        }
        Path target = target(exchange);
        AtomicFiles.write(target, Base64.getDecoder().decode(uri.substring(comma + 1)));
        stored(exchange, target);
    }

    private void stored(Exchange exchange, Path file) throws IOException {
        String target = PredictionCall.of(exchange).target;
        String output = PredictionCall.of(exchange).output;
        String url = output.startsWith("data:") ? null : output;
        SceneResult result = Steps.sceneResult(exchange);
        if (target.startsWith("images/")) {
            result.file("image", target);
            Steps.call(exchange).keep(new ReplicateSteps.ImageOutputUrl(url, System.currentTimeMillis()));
        } else {
            result.file("clip", target);
        }
        PredictionCall call = PredictionCall.of(exchange);
        Steps.current(exchange).costUsd(call.paidByAnotherRun ? 0 : prices.replicate(call.model.modelName(), call.prediction,
                result.clipSeconds(), settings.videoResolution()));
        Steps.complete(exchange, journal, file, url);
    }

    private Path target(Exchange exchange) {
        return AtomicFiles.inside(Steps.run(exchange).stagingDir(), Path.of(PredictionCall.of(exchange).target));
    }
}
