package io.ftpbridge.events;

import io.ftpbridge.security.SecretCipher;
import io.ftpbridge.support.BackgroundPriority;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends signed webhooks over one pooled HTTP/1.1 client (Apache HttpClient 5's minimal async client, connections
 * kept alive), all of them on one I/O thread ({@code httpclient-dispatch-1}) that also completes their outcomes.
 * Measured on the issue 11 benchmark, a thread per exchange (a blocking client) or a hand-off per response (the
 * JDK client) cost more CPU in thread switches than the exchange itself; one selector thread takes the responses
 * of a whole burst in few wake-ups. That thread runs at the deliveries' lower CPU priority
 * ({@code ftpbridge.events.delivery-nice}), set by the first outcome it completes.
 */
@Component
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);
    private static final ContentType JSON = ContentType.create("application/json");
    /** The usual webhook's (no timeout of its own, a lease much longer): made once, not per webhook. */
    private static final RequestConfig DEFAULT_REQUEST_CONFIG = requestConfig(ActionRunner.DEFAULT_TIMEOUT);
    /** A rule's URL parsed once, not for every webhook (~5% of the dispatcher's CPU, issue 11 benchmark). */
    private static final ComputedCache<String, URI> URIS = new ComputedCache<>(1024, URI::create);

    private final SecretCipher cipher;
    private final int deliveryNice;
    private final MinimalHttpAsyncClient http;
    /** Stored (encrypted, fresh IV per change) secret → an HMAC initialized with it, cloned for each webhook. */
    private final ComputedCache<String, Mac> signingKeys = new ComputedCache<>(1024, this::keyedMac);

    WebhookSender(SecretCipher cipher, EventsProperties properties) {
        this.cipher = cipher;
        this.deliveryNice = properties.deliveryNice();
        // the minimal client: no execution chain (redirects, retries, cookies, authentication, route tracking), none of
        // which a webhook uses; the chain parsed each request's URI again (URIBuilder), ~5% of the dispatcher's and the
        // I/O thread's CPU per webhook (bench/README.md, issue 11). A POST that failed is a failed attempt, retried by
        // the outbox with backoff (and logged), not here.
        this.http = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1, H2Config.DEFAULT, Http1Config.DEFAULT,
                IOReactorConfig.custom().setIoThreadCount(1).setTcpNoDelay(true).build(),
                PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(properties.concurrency()).setMaxConnPerRoute(properties.concurrency())
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT_TIMEOUT)
                                // a receiver may have closed a connection that sat idle: check it before reuse
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .setTimeToLive(TimeValue.ofMinutes(10)).build())
                        .build());
        http.start();
    }

    /**
     * Sends the event (or the action's body template rendered for it) to the action's URL within {@code timeout};
     * the outcome completes on the client's I/O thread (keep what runs after it short).
     */
    CompletableFuture<ActionRunner.Outcome> send(String ruleName, RuleAction action, EventResponse event, Duration timeout) {
        byte[] body = action.bodyTemplate() == null ? EventJson.bytes(event)
                : WebhookBody.parse(action.bodyTemplate()).render(event, ruleName).getBytes(StandardCharsets.UTF_8);
        AsyncRequestBuilder request = AsyncRequestBuilder.create(action.method() == null ? "POST" : action.method())
                .setUri(URIS.get(action.url()))
                .setHeader("X-Ftpbridge-Event-Id", String.valueOf(event.id()))
                .setEntity(new BasicAsyncEntityProducer(body, JSON));
        if (action.headers() != null) {
            for (Map.Entry<String, String> h : action.headers().entrySet()) {
                request.addHeader(h.getKey(), h.getValue());
            }
        }
        if (action.secret() != null) {
            request.setHeader("X-Ftpbridge-Signature", "sha256=" + HexFormat.of().formatHex(signer(action.secret()).doFinal(body)));
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(timeout.equals(ActionRunner.DEFAULT_TIMEOUT) ? DEFAULT_REQUEST_CONFIG : requestConfig(timeout));
        CompletableFuture<ActionRunner.Outcome> outcome = new CompletableFuture<>();
        AsyncRequestProducer producer = request.build();
        http.execute(producer, new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), context,
                new FutureCallback<Message<HttpResponse, Void>>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> response) {
                        // the client's I/O thread (its factory is not ours to set): lowered once, like the dispatcher
                        BackgroundPriority.lowerCurrentThread(deliveryNice);
                        int status = response.getHead().getCode();
                        if (status >= 200 && status < 300) {
                            log.debug("Webhook delivered: event={} type={} url={} status={}", event.id(), event.type(), action.url(), status);
                            outcome.complete(new ActionRunner.Outcome(true, status, null));
                        } else {
                            outcome.complete(ActionRunner.Outcome.failure(status, "HTTP " + status));
                        }
                    }

                    @Override
                    public void failed(Exception e) {
                        BackgroundPriority.lowerCurrentThread(deliveryNice);
                        outcome.complete(ActionRunner.Outcome.failure(null, e.toString()));
                    }

                    @Override
                    public void cancelled() {
                        BackgroundPriority.lowerCurrentThread(deliveryNice);
                        outcome.complete(ActionRunner.Outcome.failure(null, "cancelled"));
                    }
                });
        return outcome;
    }

    private static RequestConfig requestConfig(Duration timeout) {
        return RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).setConnectionRequestTimeout(Timeout.of(timeout)).build();
    }

    /**
     * An HMAC keyed with a stored (encrypted) secret: the secret is decrypted and the MAC looked up once, and a
     * clone of the keyed MAC signs each webhook.
     */
    private Mac signer(String stored) {
        try {
            return (Mac) signingKeys.get(stored).clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Mac keyedMac(String stored) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cipher.decrypt(stored).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
