package appealhub.miniprogram;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A mini-program report too long for the store, refused by it, or with a category outside the spec's list: 400, INVALID; never a 500 and a re-send. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniprogramPoisonTest {
    static final String REFUSED = "POISON-REFUSED";

    MiniprogramBackend backend;
    TestHub hub;

    @BeforeAll
    void start(@TempDir Path data) {
        backend = new MiniprogramBackend();
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("hub.channels.miniprogram.enabled", true);
        overrides.put("hub.channels.miniprogram.base-url", backend.baseUrl());
        for (String other : List.of("hotline12345", "leaderboard", "wechat", "supervision", "grid")) {
            overrides.put("hub.channels." + other + ".enabled", false);
        }
        hub = new TestHub(data, backend.baseUrl(), overrides).start();
        hub.bean(JdbcTemplate.class).execute(
                "alter table appeal add constraint poison_test check (title is null or title not like '%" + REFUSED + "%')");
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
        if (backend != null) backend.close();
    }

    @Test
    void anAddressOverItsColumnIsA400NamingIt() {
        var answer = backend.push(hub.url(""), MiniprogramBackend.report("rp-poison-1", "垃圾没人清运", null, null, "冀州区".repeat(100)));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").asText()).isEqualTo("location.address longer than 256 characters (300)");
        assertThat(invalid("rp-poison-1").error()).isEqualTo("location.address longer than 256 characters (300)");
    }

    @Test
    void aReportTheStoreRefusesIsA400() {
        var answer = backend.push(hub.url(""), MiniprogramBackend.report("rp-poison-2", REFUSED + " 垃圾没人清运", 37.5512, 115.5790, null));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").asText()).startsWith("cannot be stored: ");
        assertThat(invalid("rp-poison-2").error()).startsWith("cannot be stored: ");
    }

    @Test
    void aCategoryOutsideTheSpecsListIsA400() {
        Map<String, Object> report = new LinkedHashMap<>(MiniprogramBackend.garbage("rp-poison-3"));
        report.put("category", "garbage");
        var answer = backend.push(hub.url(""), report);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").asText()).startsWith("category must be one of road, environment");
        assertThat(invalid("rp-poison-3").status()).hasToString("INVALID");

        report.put("category", "other"); // one of the spec's values, even a wrong one, is fine
        report.put("reportId", "rp-poison-4");
        assertThat(backend.push(hub.url(""), report).status()).isEqualTo(200);
    }

    private RawItemStore.RawItem invalid(String reportId) {
        List<RawItemStore.RawItem> items = hub.bean(RawItemStore.class).bySource("miniprogram", reportId);
        assertThat(items).singleElement().satisfies(r -> assertThat(r.status()).hasToString("INVALID"));
        return items.get(0);
    }
}
