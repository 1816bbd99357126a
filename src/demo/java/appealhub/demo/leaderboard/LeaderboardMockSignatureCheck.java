package appealhub.demo.leaderboard;

import appealhub.connectors.leaderboard.LeaderboardSignature;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * WireMock request filter of the mock board (default run and tests): every call under /open/
 * must carry a Date within 15 minutes and the exact HMAC-SHA1 Authorization for it, as the
 * real board checks; otherwise HTTP 403 and the mappings are not consulted. (The mappings in
 * mocks/leaderboard check the header form as well, for a WireMock started without this filter.)
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "mocks", havingValue = "true")
public class LeaderboardMockSignatureCheck implements StubRequestFilterV2 {
    private static final Duration WINDOW = Duration.ofMinutes(15);

    private final String appId;
    private final String secret;

    @Autowired
    public LeaderboardMockSignatureCheck(@Value("${hub.channels.leaderboard.app-id}") String appId,
                                         @Value("${hub.channels.leaderboard.secret}") String secret) {
        this.appId = appId;
        this.secret = secret;
    }

    @Override
    public String getName() {
        return "leaderboard-signature-check";
    }

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
        String url = request.getUrl();
        if (!url.startsWith("/open/")) return RequestFilterAction.continueWith(request);
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q + 1);
        String date = request.getHeader("Date");
        Instant at;
        try {
            at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return refuse("DATE_INVALID", "Date header missing or not RFC 1123");
        }
        if (Duration.between(at, Instant.now()).abs().compareTo(WINDOW) > 0) {
            return refuse("DATE_EXPIRED", "Date more than 15 minutes off");
        }
        if (!LeaderboardSignature.verify(appId, secret, request.getMethod().getName(), path,
                LeaderboardSignature.sortedQuery(query), date, request.getHeader("Authorization"))) {
            return refuse("SIGNATURE_INVALID", "signature mismatch");
        }
        return RequestFilterAction.continueWith(request);
    }

    private static RequestFilterAction refuse(String code, String message) {
        return RequestFilterAction.stopWith(ResponseDefinitionBuilder.responseDefinition()
                .withStatus(403)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody("{\"result\":\"error\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}")
                .build());
    }
}
