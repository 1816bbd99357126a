package appealhub.merge;

import appealhub.model.PhoneHasher;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MergeEngineTest {
    static final Instant T = Instant.parse("2025-06-10T02:00:00Z");

    static final String ROAD_TITLE = "冀城嘉园小区门口道路坑洼积水严重";
    static final String ROAD = "尊敬的领导您好！我是冀州镇冀城嘉园小区的居民，小区南门外的长安路从去年冬天开始路面塌陷，"
            + "现在已经形成了好几个大坑，一下雨就积水，最深的地方能没过脚踝。每天早上孩子上学、老人买菜都要从这里经过，"
            + "上周已经有两位骑电动车的老人在这里摔倒受伤。我们多次向社区反映，社区说要等上级部门安排，但是至今没有人来修。"
            + "希望相关部门尽快派人修补路面、疏通排水，消除安全隐患。谢谢！";
    // synonyms swapped (目前/天天/小孩/投诉/可是/到现在/恳请/有关/尽早), two sentences swapped, polite phrases changed
    static final String ROAD_REWORDED = "领导好，我是冀州镇冀城嘉园小区的居民，小区南门外的长安路从去年冬天起路面塌陷，"
            + "目前已经形成了好几个大坑，一下雨就积水，最深的地方能没过脚踝。上周已经有两位骑电动车的老人在这里摔倒受伤。"
            + "天天早上小孩上学、老人买菜都要从这里经过。我们多次向社区投诉，社区说要等上级部门安排，可是到现在没有人来修。"
            + "恳请有关部门尽早派人修补路面、疏通排水，消除安全隐患。";
    static final String LIGHTS = "冀城嘉园小区南门外长安路上的路灯已经坏了一个多月了，晚上整条路漆黑一片，居民下夜班回家"
            + "只能摸黑走路，附近还有施工的沟槽没有围挡，非常危险。物业说路灯不归他们管，打电话给路灯所也没人接。"
            + "请有关部门尽快修复路灯，并在沟槽周围设置围挡和警示标志。";

    MergeEngine engine;

    @BeforeEach
    void setUp() {
        engine = new MergeEngine(MergeProperties.defaults());
        engine.add(engine.prepare("CASE-ROAD", new Candidate(ROAD_TITLE, ROAD, "13812345678", "T01", "冀城嘉园",
                37.5551, 115.5802, T)));
        engine.add(engine.prepare("CASE-OTHER", new Candidate("小寨村养殖场臭味扰民",
                "小寨村西头新建的养猪场离村子不到两百米，夏天臭味熏天，苍蝇成群，粪水直接排到村边的沟里，村民无法开窗。"
                        + "希望环保部门查一查这个养殖场有没有环评手续，督促其整改。", "13900001111", "T10", "小寨村", null, null, T)));
    }

    @Test
    void aShortGenericTextMergesOnlyWithTheSamePhoneOrPlace() {
        String vague = "希望有关部门关注一下这个事情，具体情况电话里说。";
        engine.add(engine.prepare("CASE-VAGUE", new Candidate("反映一个问题", vague, "13700000001", "T01", "冀州区",
                null, null, T)));
        // Word for word the same, but from someone else and naming only the district: not the same problem.
        Optional<MergeDecision> other = engine.find(new Candidate("反映一个问题", vague, "13700000002", "T01", "冀州区",
                null, null, T.plusSeconds(3600)));
        assertThat(other).isEmpty();
        assertThat(engine.score(engine.prepare(null, new Candidate("反映一个问题", vague, "13700000002", "T01", "冀州区",
                null, null, T.plusSeconds(3600))), 0.0)).anySatisfy(d -> assertThat(d.reasons().toString()).contains("short text"));
        // The same citizen again: the same appeal.
        assertThat(engine.find(new Candidate("反映一个问题", vague, "13700000001", "T01", "冀州区", null, null,
                T.plusSeconds(3600)))).map(MergeDecision::caseId).contains("CASE-VAGUE");
    }

    /** find scores its candidates without reasons and the winner again with them: the same decision as score gives. */
    @Test
    void theMergeFoundIsTheBestScoredCandidateWithItsReasons() {
        engine.add(engine.prepare("CASE-ROAD-2", new Candidate(ROAD_TITLE, ROAD + "请尽快处理。", "13812345678", "T01", "冀城嘉园",
                37.5552, 115.5803, T.plusSeconds(60))));
        IndexedCase q = engine.prepare(null, new Candidate("长安路路面塌陷积水，老人摔伤", ROAD_REWORDED, "13812345678",
                "T01", "冀城嘉园", 37.5551, 115.5802, T.plusSeconds(3600)));
        List<MergeDecision> all = engine.score(q, MergeProperties.defaults().minTextSimilarity());
        assertThat(all).hasSizeGreaterThanOrEqualTo(2);
        MergeDecision best = all.stream().filter(d -> d.score() >= MergeProperties.defaults().mergeThreshold())
                .reduce((x, y) -> y.score() > x.score() ? y : x).orElseThrow();
        assertThat(engine.find(q)).contains(best);
        assertThat(best.reasons()).contains("same phone", "same township T01", "same place");
    }

    @Test
    void aDistrictOrTownshipIsNotAPlace() {
        assertThat(MergeEngine.samePlace("冀州区", "冀州区")).isFalse();
        assertThat(MergeEngine.samePlace("冀州区冀州镇", "冀州区冀州镇滏阳花园")).isFalse();
        assertThat(MergeEngine.samePlace("滏阳花园", "冀州区冀州镇滏阳花园南门")).isTrue();
        assertThat(MergeEngine.samePlace("小寨村", "冀州区西王镇小寨村")).isTrue();
    }

    @Test
    void rewordedMessageFromAnotherChannelMatches() {
        Optional<MergeDecision> d = engine.find(new Candidate("长安路路面塌陷积水，老人摔伤", ROAD_REWORDED, "15000000000",
                null, null, null, null, T.plusSeconds(86_400 * 2)));
        assertThat(d).isPresent();
        assertThat(d.get().caseId()).isEqualTo("CASE-ROAD");
        assertThat(d.get().textSimilarity()).isGreaterThanOrEqualTo(0.45);
        assertThat(d.get().reasons()).anyMatch(r -> r.startsWith("text similarity"));
    }

    @Test
    void truncatedMessageMatches() {
        String cut = ROAD.substring(0, ROAD.length() * 2 / 5);      // e.g. a 12345 summary or an SMS
        Optional<MergeDecision> d = engine.find(new Candidate(null, cut, null, "T01", null, null, null, T.plusSeconds(3600)));
        assertThat(d).map(MergeDecision::caseId).contains("CASE-ROAD");
        assertThat(d.get().reasons().get(0)).contains("containment 1.00");
    }

    @Test
    void differentProblemAtTheSamePlaceDoesNotMerge() {
        Candidate lights = new Candidate("冀城嘉园门口路灯不亮", LIGHTS, "15000000000", "T01", "冀城嘉园",
                37.5552, 115.5801, T.plusSeconds(3600));
        assertThat(engine.find(lights)).isEmpty();
    }

    @Test
    void samePhonePlaceAndTimeRaiseTheScoreButDifferentTextAloneDoesNotMerge() {
        // same citizen, same place, same pin, an hour later, but another problem: no merge
        Candidate sameEverythingButText = new Candidate("冀城嘉园门口路灯不亮", LIGHTS, "138-1234-5678", "T01", "冀城嘉园",
                37.5551, 115.5802, T.plusSeconds(3600));
        assertThat(engine.find(sameEverythingButText)).isEmpty();

        // a borderline text (a short partial re-telling) scores higher with the signals than without
        // part of the re-telling plus another matter: text similarity about 0.58
        String partial = ROAD_REWORDED.substring(0, 100) + "另外小区里的健身器材也坏了很久，一直没有人管，希望一并处理。";
        Candidate bare = new Candidate(null, partial, "15000000000", null, null, null, null, T.plusSeconds(86_400 * 20));
        Candidate withSignals = new Candidate(null, partial, "+86 138 1234 5678", "T01", "冀城嘉园小区",
                37.5552, 115.5803, T.plusSeconds(3600));
        double plain = engine.score(engine.prepare(null, bare), 0.0).stream()
                .filter(d -> d.caseId().equals("CASE-ROAD")).findFirst().orElseThrow().score();
        MergeDecision boosted = engine.score(engine.prepare(null, withSignals), 0.0).stream()
                .filter(d -> d.caseId().equals("CASE-ROAD")).findFirst().orElseThrow();
        assertThat(boosted.score()).isGreaterThan(plain + 0.3);
        assertThat(engine.find(bare)).isEmpty();                       // text alone: not enough
        assertThat(engine.find(withSignals)).map(MergeDecision::caseId).contains("CASE-ROAD");
        assertThat(boosted.reasons()).contains("same phone", "same township T01", "same place");
        assertThat(boosted.reasons()).anyMatch(r -> r.startsWith("pins ") && r.endsWith(" m apart"));
    }

    @Test
    void contradictingPlaceLowersTheScore() {
        Candidate elsewhere = new Candidate(ROAD_TITLE, ROAD_REWORDED, null, "T03", null, 37.36, 115.50, T.plusSeconds(3600));
        Candidate nowhere = new Candidate(ROAD_TITLE, ROAD_REWORDED, null, null, null, null, null, T.plusSeconds(3600));
        double far = engine.score(engine.prepare(null, elsewhere), 0.0).get(0).score();
        double unknown = engine.score(engine.prepare(null, nowhere), 0.0).get(0).score();
        assertThat(far).isLessThan(unknown - 0.5);
    }

    @Test
    void outsideTheTimeWindowDoesNotMerge() {
        assertThat(engine.find(new Candidate(ROAD_TITLE, ROAD, null, "T01", null, null, null, T.plusSeconds(86_400L * 31))))
                .isEmpty();
    }

    @Test
    void removedCaseIsNoLongerFound() {
        assertThat(engine.remove("CASE-ROAD")).isTrue();
        assertThat(engine.find(new Candidate(ROAD_TITLE, ROAD, null, "T01", null, null, null, T))).isEmpty();
        assertThat(engine.size()).isEqualTo(1);
    }

    @Test
    void phoneIsKeptOnlyAsKeyedHmac() {
        IndexedCase e = engine.prepare("X", new Candidate("t", "c", "13812345678", null, null, null, null, T));
        assertThat(e.phoneHmac()).hasSize(64).doesNotContain("13812345678").doesNotContain("12345678");
        assertThat(e.phoneHmac()).isEqualTo(new PhoneHasher("demo-merge-phone-key-change-me").hash("+86 138-1234-5678"));
        assertThat(new PhoneHasher("another-key").hash("13812345678")).isNotEqualTo(e.phoneHmac());
        assertThat(new Candidate("t", "c", "13812345678", null, null, null, null, T).toString()).doesNotContain("1381234");
    }

    @Test
    void normalisationIgnoresPunctuationWidthAndDigits() {
        assertThat(TextShingler.normalize("　路灯，不亮！！２０２５年3月\n\tABC")).isEqualTo("路灯不亮0年0月abc");
    }
}
