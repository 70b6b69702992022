package io.granary.gateway.http;

import static io.granary.gateway.testing.GatewayFixture.json;
import static io.granary.gateway.testing.GatewayFixture.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.GrpcErrors;
import io.granary.gateway.GatewayServer;
import io.granary.gateway.HttpLimits;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.testing.GatewayFixture;
import io.granary.gateway.testing.RawHttp;
import io.grpc.Status;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every failure is an RFC 9457 problem with the status its kind calls for. */
class ApiErrorsTest {
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void missingFileIs404Problem() {
        gateway.test((server, http) -> {
            Response missing = http.get("/api/v1/files/no/such.txt");

            JsonNode problem = assertProblem(missing, 404, "not-found");
            assertThat(problem.get("title").asText()).isEqualTo("Not Found");
            assertThat(problem.get("detail").asText()).isEqualTo("no file or directory at /no/such.txt");
            assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/files/no/such.txt");
            assertThat(problem.get("status").asInt()).isEqualTo(404);
        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "UNAVAILABLE, 503, unavailable",
            "INVALID_ARGUMENT, 400, invalid-argument",
            "FAILED_PRECONDITION, 409, failed-precondition",
            "ALREADY_EXISTS, 409, already-exists",
            "RESOURCE_EXHAUSTED, 507, resource-exhausted",
            "DEADLINE_EXCEEDED, 504, deadline-exceeded",
            "DATA_LOSS, 502, data-loss",
            "INTERNAL, 500, internal",
            "UNKNOWN, 500, internal"})
    void masterStatusBecomesTheMatchingProblem(Status.Code code, int httpStatus, String slug) {
        gateway.cluster.master.failWith(Status.fromCode(code).withDescription("the master says no"));
        gateway.test((server, http) -> {
            for (Response response : new Response[] {
                    http.get("/api/v1/cluster"),
                    http.get("/api/v1/stat/a"),
                    put(http, "/api/v1/files/a", new byte[10], "text/plain")}) {
                assertThat(assertProblem(response, httpStatus, slug).get("detail").asText())
                        .isEqualTo("the master says no");
            }
        });
    }

    @Test
    void anUploadBusyChunkserversRefuseBeyondTheClientsPatienceIs503OverloadedWithRetryAfterAndCommitsNothing() {
        gateway.cluster.chunkservers.forEach(cs -> cs.failWrites(GrpcErrors.toStatus(
                new OverloadedException(cs.id + " is busy: 32 chunk writes in progress", Duration.ofSeconds(1)))));
        gateway.test((server, http) -> {
            Response response = put(http, "/api/v1/files/a", new byte[10], "text/plain");

            assertThat(assertProblem(response, 503, "overloaded").get("detail").asText()).contains("is busy");
            assertThat(response.header("Retry-After")).isEqualTo(Long.toString(HttpErrors.RETRY_AFTER_SECONDS));
            assertThat(gateway.cluster.master.commits).isEmpty();
        });
    }

    @Test
    void anUploadBeyondTheGatewaysUploadLimitIs503OverloadedWhileTheOneInProgressCompletes() {
        gateway.cluster.chunkserver(1).holdWritesAfter(2); // the header and one piece
        Javalin oneAtATime = GatewayServer.createApp(gateway.client, AccessConfig.defaults(),
                HttpLimits.defaults(), 1);
        gateway.test(oneAtATime, (server, http) -> {
            CompletableFuture<Response> first = CompletableFuture.supplyAsync(() ->
                    put(http, "/api/v1/files/first", new byte[200_000], "application/octet-stream"));
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.cluster.chunkserver(1).bytesWritten.get() > 0);

            Response second = put(http, "/api/v1/files/second", new byte[10], "text/plain");

            assertThat(assertProblem(second, 503, "overloaded").get("detail").asText())
                    .contains("the gateway is busy: 1 uploads are in progress");
            assertThat(second.header("Retry-After")).isEqualTo(Long.toString(HttpErrors.RETRY_AFTER_SECONDS));
            gateway.cluster.chunkserver(1).releaseWrites();
            assertThat(first.get(10, TimeUnit.SECONDS).code()).isEqualTo(201);
            assertThat(put(http, "/api/v1/files/third", new byte[10], "text/plain").code()).isEqualTo(201);
        });
    }

    @Test
    void everyServiceUnavailableAnswerSaysWhenToRetry() {
        gateway.cluster.master.failWith(Status.UNAVAILABLE.withDescription("the master is away"));
        gateway.test((server, http) -> {
            for (Response response : new Response[] {
                    http.get("/api/v1/cluster"),
                    http.get("/api/v1/stat/a"),
                    http.get("/health/ready"),
                    put(http, "/api/v1/files/a", new byte[10], "text/plain")}) {
                assertThat(response.code()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isEqualTo(Long.toString(HttpErrors.RETRY_AFTER_SECONDS));
            }
        });
    }

    @Test
    void anUploadWhoseCommitCannotBeSettledIs504UploadOutcomeUnknown() {
        gateway.cluster.master.failCommitWith(Status.DEADLINE_EXCEEDED.withDescription("no answer"));
        gateway.cluster.master.failAbandonWith(Status.UNAVAILABLE.withDescription("no answer either"));
        gateway.test((server, http) -> {
            Response response = put(http, "/api/v1/files/a", new byte[10], "text/plain");

            assertThat(assertProblem(response, 504, "upload-outcome-unknown").get("detail").asText())
                    .contains("may or may not have been committed");
        });
    }

    @Test
    void anUploadWhoseCommitWentUnansweredAndWasAbandonedIs503() {
        gateway.cluster.master.failCommitWith(Status.UNAVAILABLE.withDescription("no answer"));
        gateway.test((server, http) -> {
            Response response = put(http, "/api/v1/files/a", new byte[10], "text/plain");

            assertThat(assertProblem(response, 503, "unavailable").get("detail").asText())
                    .contains("was abandoned: nothing changed");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/files/a/../b",
            "/api/v1/files/a/../../stat/x",
            "/api/v1/files/%2e%2e/b",
            "/api/v1/files/a/%2E",
            "/api/v1/files/./a",
            "/api/v1/files/a//b",
            "/api/v1/files//a",
            "/api/v1/files/a%2F%2Fb",
            "/api/v1/files/%FF",
            "/api/v1/files/a%00b",
            "/api/v1/files/%ZZ",
            "/api/v1/files/a%0Ab",
            "/api/v1/files/",
            "/api/v1/stat/a/..",
            "/api/v1/../v1/cluster"})
    void badPathIs400ProblemBeforeAnyMasterCall(String target) {
        gateway.test((server, http) -> {
            RawHttp.Response refused = RawHttp.send(server.port(), "GET", target, GatewayFixture.AUTH);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = json(refused.text());
            assertThat(problem.get("type").asText()).isEqualTo("urn:granary:problem:invalid-argument");
            assertThat(problem.get("detail").asText()).isNotBlank();
            assertThat(gateway.cluster.master.calls.get()).isZero();
        });
    }

    @Test
    void unknownRouteIs404ProblemAndWrongMethodIs405Problem() {
        gateway.test((server, http) -> {
            Response unknown = http.get("/api/v1/nothing-here");
            assertThat(assertProblem(unknown, 404, "not-found").get("detail").asText()).isEqualTo("no such endpoint: GET /api/v1/nothing-here");

            Response wrongMethod = http.post("/api/v1/cluster");
            assertProblem(wrongMethod, 405, "method-not-allowed");
            assertThat(wrongMethod.header("Allow")).contains("GET");
        });
    }

    @Test
    void rootIsNotAFile() {
        gateway.test((server, http) -> {
            assertThat(assertProblem(http.get("/api/v1/files"), 400, "invalid-argument").get("detail").asText())
                    .isEqualTo("a path is required after /api/v1/files/");
            assertThat(gateway.cluster.master.calls.get()).isZero();
        });
    }

    /** Checks the status and problem type, and returns the problem. */
    private static JsonNode assertProblem(Response response, int status, String slug) {
        assertThat(response.code()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:granary:problem:" + slug);
        return problem;
    }
}
