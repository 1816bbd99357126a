package appealhub.classify;

import appealhub.organization.OrganizationRegistry;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.Appeal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The placement classifier on its own (no hub): category, urgency, complexity, routing by class
 * and by override rule, rules re-read while running, every township evidence path, and triage.
 * The learned model is {@link FakeTopicModel}, so each path is hit on purpose.
 */
class PlacementClassifierTest {
    static final OrganizationRegistry REGISTRY = registry();

    @TempDir
    Path dir;
    Path rulesFile;
    RoutingRules rules;
    PlacementClassifier classifier;
    FakeTopicModel model = new FakeTopicModel();

    @BeforeEach
    void setUp() throws Exception {
        rulesFile = dir.resolve("routing-rules.yaml");
        Files.copy(Path.of("config/routing-rules.yaml"), rulesFile, StandardCopyOption.REPLACE_EXISTING);
        RoutingTable table = RoutingTable.load(Path.of("config/routing.yaml"), REGISTRY);
        rules = new RoutingRules(rulesFile, REGISTRY, table.classes().keySet(), 0, Clock.systemUTC());
        classifier = new PlacementClassifier(REGISTRY, table, rules,
                new TownshipResolver(REGISTRY, TownshipLocator.load(Path.of("config/townships-geo.yaml"))), () -> model, 0.45);
    }

    // ---- category, urgency, complexity ----

    @Test
    void eachOfTheFourCategories() {
        Placement service = classify(hotline("路灯不亮", "滏阳花园小区南门外的路灯坏了半个多月。", "冀州区冀州镇滏阳花园", "02"));
        assertThat(service.category()).isEqualTo("民生服务");
        assertThat(service.urgency()).isEqualTo("normal");

        Placement dispute = classify(hotline("邻里纠纷", "楼上邻居装修和我家发生纠纷，协商不成。", "冀州区冀州镇信都社区", "03"));
        assertThat(dispute.category()).isEqualTo("矛盾纠纷");

        Placement violation = classify(hotline("无证经营", "举报西王村一家作坊无证经营，非法生产。", "冀州区西王镇西王村", "04"));
        assertThat(violation.category()).isEqualTo("违法违规");
        assertThat(violation.confidences().get("category")).isGreaterThan(0.6);

        Placement emergency = classify(hotline("着火了", "南关村一户人家的柴房着火了，火势很大！", "冀州区冀州镇南关村", "02"));
        assertThat(emergency.category()).isEqualTo("应急处置");
        assertThat(emergency.urgency()).isEqualTo("urgent");
        assertThat(emergency.leadOrg()).isEqualTo("D37");
        assertThat(emergency.coOrgs()).as("the township joins an emergency").contains("T01");
        assertThat(emergency.confidences()).containsKeys("category", "topic", "urgency", "complexity", "lead", "township");
    }

    @Test
    void channelHintsWeighButDoNotDecide() {
        // 12345's 举报 type tips a neutral text to 违法违规, but not with much confidence.
        Placement tipped = classify(hotline("反映情况", "滏阳花园小区门口有人摆摊。", "冀州区冀州镇滏阳花园", "04"));
        assertThat(tipped.category()).isEqualTo("违法违规");
        assertThat(tipped.confidences().get("category")).isLessThan(0.5);
        assertThat(tipped.explanation().get("category.rule").toString()).contains("hint:sqlx=04");
        // …and the text's words outweigh it.
        Placement outweighed = classify(hotline("纠纷", "两家因为排水沟发生纠纷，争吵多次。", "冀州区西王镇东王村", "04"));
        assertThat(outweighed.category()).isEqualTo("矛盾纠纷");

        // The citizen's own pick on the mini-program is often wrong: a street light stays a service.
        Appeal lamp = appeal("miniprogram", "路灯坏了", "路口的路灯坏了半个月。", new Appeal.Location("冀州区冀州镇信都社区", null, null, null, null, null, null),
                null, false, Map.of("category", "dispute"));
        assertThat(classify(lamp).category()).isEqualTo("民生服务");

        // Grid: eventType 矛盾纠纷 counts; severity 3 makes it urgent.
        Appeal grid = appeal("grid", "矛盾纠纷：两户争执", "前屯村两户因宅基地边界发生争执，情绪激动",
                new Appeal.Location("冀州区南午村镇", "冀州区", "T03", null, null, null, "JZ-03-017"), "矛盾纠纷", true,
                Map.of("eventType", "矛盾纠纷", "severity", "3", "gridCode", "JZ-03-017"));
        Placement g = classify(grid);
        assertThat(g.category()).isEqualTo("矛盾纠纷");
        assertThat(g.urgency()).isEqualTo("urgent");
        assertThat(g.leadOrg()).isEqualTo("D08");

        // 督查类别 and a board's typeName are hints too.
        Appeal board = appeal("leaderboard", "举报", "某公司在小寨村附近倾倒建筑垃圾。", null, "举报", false, Map.of("typeName", "举报"));
        assertThat(classify(board).category()).isEqualTo("违法违规");
        Appeal clue = appeal("supervision", "咨询补贴", "请问农机购置补贴如何申请？", null, "民生保障", false, Map.of("督查类别", "民生保障"));
        Placement c = classify(clue);
        assertThat(c.category()).isEqualTo("民生服务");
        assertThat(c.complexity()).isEqualTo("consult");
    }

    @Test
    void emergencyWordsAreFoundWithHighRecall() {
        List<String> emergencies = List.of(
                "楼下饭店着火了，浓烟很大", "仓库起火，火势蔓延", "厨房失火了快来人", "村东头麦秸垛发生火灾",
                "单元楼道里一股煤气味，怀疑燃气泄漏", "天然气泄露了，闻到很重的味道", "家里漏气了不敢开灯", "液化气罐泄漏",
                "小区里有人持刀伤人", "集市上有人砍人", "丈夫长期家暴，今天又被殴打", "有人持械聚集，随时可能出事",
                "邻居说不想活了要跳楼", "一名男子站在桥上要跳河轻生", "有人喝农药自杀", "女儿在家割腕自残",
                "老房子的墙倒塌了压住了人", "路面突然塌陷出现大坑", "工地基坑坍塌", "桥梁垮塌",
                "暴雨后村里被淹了，水已经进屋", "地下车库内涝严重，车被淹", "河堤决堤，洪水进村", "小孩落水溺水",
                "电线掉落在地上有人触电", "工厂发生爆炸", "一家人煤气中毒昏迷", "食堂多人食物中毒",
                "电梯困人半小时了没人来", "老人被困在家中生命危险", "路口发生车祸有人受伤", "化工厂危化品泄漏");
        for (String text : emergencies) {
            Placement p = classify(hotline("紧急情况", text, "冀州区周村镇周村", "02"));
            assertThat(p.category()).as(text).isEqualTo("应急处置");
            assertThat(p.urgency()).as(text).isEqualTo("urgent");
            assertThat(p.placed()).as("an emergency never waits in triage: " + text).isTrue();
        }
        List<String> ordinary = List.of("集中供暖暖气不热", "周村集市两名摊贩发生口角，担心升级为打架斗殴", "小区燃气费太贵",
                "停水两天了", "工地拖欠工资三个月");
        for (String text : ordinary) {
            assertThat(classify(hotline("反映", text, "冀州区周村镇周村", "03")).category()).as(text).isNotEqualTo("应急处置");
        }
    }

    @Test
    void complexityFromConsultationsJointHandlingAndLongStandingMatters() {
        assertThat(classify(hotline("咨询", "请问公积金怎么申请提取？", "冀州区", "01")).complexity()).isEqualTo("consult");
        assertThat(classify(hotline("多次反映", "小区路灯多次反映至今未解决。", "冀州区冀州镇滏阳花园", "03")).complexity()).isEqualTo("complex");
        Placement joint = classify(hotline("购物卡", "商场的购物卡不能用了。", "冀州区冀州镇", "03"));
        assertThat(joint.leadOrg()).isEqualTo("D24");
        assertThat(joint.coOrgs()).containsExactly("D13");
        assertThat(joint.complexity()).isEqualTo("complex");
        assertThat(classify(hotline("路灯", "路灯坏了。", "冀州区冀州镇", "03")).complexity()).isEqualTo("general");
    }

    // ---- routing ----

    @Test
    void routingByClassWhenNoDepartmentIsNamed() {
        assertThat(lead("工厂晚上往外冒黑烟，气味刺鼻。")).isEqualTo("D14");
        assertThat(lead("去县城的公路上大货车太多。")).isEqualTo("D15");
        assertThat(lead("孩子的课本到现在还没发。")).isEqualTo("D11");
        assertThat(lead("公司三个月没发工资。")).isEqualTo("D09");
        assertThat(lead("村口诊所收费不明白。")).isEqualTo("D12");
        Placement p = classify(hotline("工厂", "工厂晚上往外冒黑烟，气味刺鼻。", "冀州区码头李镇码头李村", "03"));
        assertThat(p.topic()).isEqualTo("环境保护");
        assertThat(p.confidences().get("topic")).isEqualTo(0.85);
        assertThat(p.explanation().get("rule")).isEqualTo("class-default:环境保护");
    }

    @Test
    void departmentTopicWordsRefineTheClass() {
        // 城乡建设 by the model, refined by the topic words of organizations.yaml.
        assertThat(lead("小区路灯坏了半个月。")).isEqualTo("D16");
        assertThat(lead("小区集中供暖暖气不热。")).isEqualTo("D44");
        assertThat(lead("小区已经停水两天。")).isEqualTo("D43");
        Placement p = classify(hotline("路灯", "小区路灯坏了半个月。", "冀州区冀州镇滏阳花园", "03"));
        assertThat(p.topic()).isEqualTo("城乡建设");
        assertThat(p.explanation()).containsEntry("topics.D16", List.of("路灯"));
        assertThat(p.explanation().get("rule").toString()).startsWith("department-topic:D16");
        // When two departments are named, the predicted class decides a near tie: 超市 → 商贸旅游 → D13 over D11.
        assertThat(lead("超市的价格比学校门口的贵。")).isEqualTo("D13");
    }

    @Test
    void anOverrideRuleBeatsTheClassAndTheTopicWords() {
        Placement p = classify(hotline("讨薪", "我在工地干活，包工头拖欠工资三个月。", "冀州区西王镇大寨村", "03"));
        assertThat(p.leadOrg()).isEqualTo("D09");
        assertThat(p.coOrgs()).containsExactly("D07");
        assertThat(p.category()).isEqualTo("矛盾纠纷");
        assertThat(p.explanation().get("rule").toString()).startsWith("override:wage-arrears-on-building-sites");
    }

    @Test
    void rulesAreReReadWhileRunningAndABrokenFileKeepsTheOldOnes() throws Exception {
        Appeal lamp = hotline("路灯", "信都社区门口路灯坏了。", "冀州区冀州镇信都社区", "03");
        assertThat(classify(lamp).leadOrg()).isEqualTo("D16");

        // Operations add a rule: street lights go to the power company, with the township.
        write(Files.readString(rulesFile) + """
                  - name: lamps-to-power
                    any: [路灯]
                    lead: D41
                    co: [T01]
                """);
        Placement after = classify(lamp);
        assertThat(after.leadOrg()).isEqualTo("D41");
        assertThat(after.coOrgs()).containsExactly("T01");
        assertThat(after.explanation().get("rule").toString()).startsWith("override:lamps-to-power");
        assertThat(rules.status().rules()).contains("lamps-to-power");

        // A broken file (an unknown department, then bad YAML): refused, the rules in force stay.
        String good = Files.readString(rulesFile);
        write(good.replace("lead: D41", "lead: D99"));
        assertThat(classify(lamp).leadOrg()).isEqualTo("D41");
        assertThat(rules.status().lastError()).contains("unknown lead D99");
        write("rules:\n  - name: [oops\n");
        assertThat(classify(lamp).leadOrg()).isEqualTo("D41");
        RoutingRules.ReloadResult refused = rules.reload();
        assertThat(refused.ok()).isFalse();
        assertThat(refused.error()).contains("not valid YAML");
        assertThat(refused.status().rules()).contains("lamps-to-power");

        // Fixed again: the command loads it at once.
        Files.writeString(rulesFile, good.replace("lamps-to-power", "lamps-to-power-2"));
        RoutingRules.ReloadResult ok = rules.reload();
        assertThat(ok.ok()).isTrue();
        assertThat(ok.status().rules()).contains("lamps-to-power-2").doesNotContain("lamps-to-power");
        assertThat(ok.status().lastError()).isNull();
    }

    // ---- township ----

    @Test
    void townshipFromTheGridCodeEvenWhenTheTextNamesAnother() {
        Appeal grid = appeal("grid", "社情民意", "村民反映通往前屯村方向的村道坑洼不平。",
                new Appeal.Location("冀州区门庄乡", "冀州区", "T07", null, 37.52, 115.49, "JZ-07-002"), "社情民意", false,
                Map.of("eventType", "社情民意", "severity", "1"));
        Placement p = classify(grid);
        assertThat(p.townshipCode()).isEqualTo("T07");
        assertThat(p.explanation()).containsEntry("township.evidence", "channel");
        assertThat(p.explanation().get("township.detail").toString()).contains("JZ-07-002");
        assertThat(p.leadOrg()).as("a village road: the township's matter").isEqualTo("T07");
    }

    @Test
    void townshipFromAMapPin() {
        Appeal pinned = appeal("wechat", "路灯", "路口的路灯坏了。", new Appeal.Location(null, null, null, null, 37.4720, 115.6520, null),
                "text", false, Map.of());
        Placement p = classify(pinned);
        assertThat(p.townshipCode()).isEqualTo("T07");
        assertThat(p.explanation()).containsEntry("township.evidence", "pin");
        Appeal far = appeal("wechat", "路灯", "路口的路灯坏了。", new Appeal.Location(null, null, null, null, 39.9042, 116.3974, null),
                "text", false, Map.of());
        // A written address beats the approximate centroids (this pin is nearer 周村镇's centroid).
        Appeal both = appeal("wechat", "排污", "附近的厂子夜里偷偷排污。",
                new Appeal.Location("河北省衡水市冀州区码头李镇码头李村", null, null, null, 37.623511, 115.446822, null), "text", false, Map.of());
        Placement labelled = classify(both);
        assertThat(labelled.townshipCode()).isEqualTo("T05");
        assertThat(labelled.explanation().get("township.detail").toString()).contains("T04").contains("the written address wins");
        Placement outside = classify(far);
        assertThat(outside.townshipCode()).isNull();
        assertThat(outside.explanation().get("township.detail").toString()).contains("outside the district");
    }

    @Test
    void townshipFromTheAddressWithAndWithoutSuffixes() {
        assertThat(township("冀州区门庄乡孙家庄村")).isEqualTo("T07").isEqualTo(evidence("冀州区门庄乡孙家庄村", "address"));
        assertThat(township("门庄孙家庄")).as("township without 乡, place without 村").isEqualTo("T07");
        assertThat(township("孙家庄")).as("place without 村").isEqualTo("T07");
        assertThat(township("河北省衡水市冀州区官道李堤北村")).isEqualTo("T02");
        assertThat(township("冀州区信都社区3号楼")).isEqualTo("T01");
        assertThat(township("冀州区长安路")).as("community without 社区").isEqualTo("T01");
        assertThat(township("冀州区冀州镇南关村")).isEqualTo("T01");
        assertThat(township("冀州区南午村镇")).isEqualTo("T03");
    }

    @Test
    void anAddressNamingOnlyTheDistrictOrCityLeavesTheTownshipUnknown() {
        assertThat(township("冀州区")).isNull();
        assertThat(township("河北省衡水市冀州区")).isNull();
        assertThat(township("衡水市冀州区人民政府附近")).as("冀州区 is not 冀州镇").isNull();
        assertThat(township("冀州市")).isNull();
        assertThat(township("衡水市")).isNull();
        assertThat(township("冀州区冀州镇")).as("unless 冀州镇 is written").isEqualTo("T01");
        Placement p = classify(hotline("路灯", "路灯坏了。", "河北省衡水市冀州区", "03"));
        assertThat(p.townshipCode()).isNull();
        assertThat(p.explanation()).containsEntry("township.evidence", "none");
        assertThat(p.explanation().get("township.detail").toString()).contains("district or city only");
    }

    // ---- triage ----

    @Test
    void belowTheThresholdTheAppealGoesToTriageWithSuggestions() {
        Placement p = classify(hotline("反映一个问题", "【低】希望有关部门关注一下这个事情。", "冀州区冀州镇", "03"));
        assertThat(p.placed()).isFalse();
        assertThat(p.triageReason()).startsWith("low-confidence: 0.30 < 0.45");
        assertThat(p.suggestions()).isNotEmpty();
        assertThat(p.suggestions().get(0).leadOrg()).isEqualTo("D07");
        assertThat(p.suggestions().get(0).topic()).isEqualTo("城乡建设");
        assertThat(p.suggestions()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(p.explanation()).containsKeys("triage", "suggestions", "classScores");
        // Without any model: nothing to route by.
        model = null;
        Placement none = classify(hotline("反映一个问题", "希望有关部门关注一下这个事情。", "冀州区", "03"));
        assertThat(none.placed()).isFalse();
        assertThat(none.triageReason()).startsWith("unplaced");
    }

    /**
     * The cost table's threshold (0.75 on the model's calibrated probability) holds a lead the model
     * chose alone; the general threshold (0.45) alone would have placed it.
     */
    @Test
    void aLeadTheModelChoseAloneIsHeldToTheCostTablesThreshold() {
        PlacementClassifier costed = new PlacementClassifier(REGISTRY, classifier.table(), rules,
                new TownshipResolver(REGISTRY, TownshipLocator.load(Path.of("config/townships-geo.yaml"))), () -> model,
                0.45, 0.75);
        model.cue("【中】", "交通运输", 0.65);
        Placement general = classifier.classify(hotline("反映一个问题", "【中】希望有关部门关注一下。", "冀州区冀州镇", "03"));
        assertThat(general.placed()).as("0.65 passes one threshold of 0.45").isTrue();
        Placement held = costed.classify(hotline("反映一个问题", "【中】希望有关部门关注一下。", "冀州区冀州镇", "03"));
        assertThat(held.placed()).isFalse();
        assertThat(held.triageReason()).startsWith("low-confidence: 0.65 < 0.75");
        assertThat(held.suggestions().get(0).leadOrg()).isEqualTo("D15");
        Placement sure = costed.classify(hotline("工厂", "工厂晚上往外冒黑烟，气味刺鼻。", "冀州区码头李镇码头李村", "03"));
        assertThat(sure.placed()).as("0.85 passes 0.75").isTrue();
    }

    @Test
    void aTownshipsMatterWithoutATownshipGoesToTriage() {
        Placement p = classify(hotline("戏台", "村里的老戏台年久失修，屋檐掉瓦。", "冀州区", "03"));
        assertThat(p.placed()).isFalse();
        assertThat(p.triageReason()).startsWith("township-unknown");
        Placement known = classify(hotline("戏台", "村里的老戏台年久失修，屋檐掉瓦。", "冀州区小寨乡杨家寨村", "03"));
        assertThat(known.leadOrg()).isEqualTo("T10");
        // A dispute without a department topic is the township's too.
        Placement dispute = classify(hotline("纠纷", "两家因为门前一块空地发生纠纷，争吵多次。", "冀州区", "03"));
        assertThat(dispute.triageReason()).startsWith("township-unknown");
    }

    @Test
    void theExplanationSaysWhy() {
        Placement p = classify(hotline("工厂", "工厂晚上往外冒黑烟，气味刺鼻。", "冀州区码头李镇码头李村", "03"));
        assertThat(p.explanation()).containsEntry("model", "fake-1").containsEntry("township.evidence", "address")
                .containsKeys("classScores", "rule", "category.rule", "category.scores", "urgency.rule", "complexity.rule",
                        "township.detail", "confidences", "routingRules");
        assertThat(p.explanation().get("classScores")).isInstanceOf(Map.class).asString().contains("环境保护=0.85");
        assertThat(p.explanation().get("township.detail").toString()).contains("码头李");
    }

    // ---- helpers ----

    private Placement classify(Appeal a) {
        PlacementClassifier c = new PlacementClassifier(REGISTRY, classifier.table(), rules,
                new TownshipResolver(REGISTRY, TownshipLocator.load(Path.of("config/townships-geo.yaml"))), () -> model, 0.45);
        return c.classify(a);
    }

    private String lead(String content) {
        return classify(hotline("反映", content, "冀州区冀州镇", "03")).leadOrg();
    }

    private String township(String address) {
        return classify(hotline("反映", "反映一个问题。", address, "03")).townshipCode();
    }

    private String evidence(String address, String expected) {
        Placement p = classify(hotline("反映", "反映一个问题。", address, "03"));
        return expected.equals(p.explanation().get("township.evidence")) ? p.townshipCode() : "evidence " + p.explanation().get("township.evidence");
    }

    private void write(String yaml) throws Exception {
        FileTime before = Files.getLastModifiedTime(rulesFile);
        Files.writeString(rulesFile, yaml);
        // Coarse file-system clocks: make sure the change is visible as a new modification time.
        Files.setLastModifiedTime(rulesFile, FileTime.fromMillis(Math.max(System.currentTimeMillis(), before.toMillis() + 1000)));
    }

    static Appeal hotline(String title, String content, String address, String sqlx) {
        return appeal("hotline12345", title, content, new Appeal.Location(address, "冀州区", null, null, null, null, null), sqlx,
                false, Map.of("sqlx", sqlx, "sfjj", "0"));
    }

    static Appeal appeal(String channel, String title, String content, Appeal.Location location, String channelType,
                         boolean urgent, Map<String, String> fields) {
        Instant now = Instant.now();
        return new Appeal("AP-TEST", "CS-TEST", List.of(new Appeal.Source(channel, "X-1", now, 1L)), null, title, content,
                now, now, location, channelType, null, urgent, List.of(), fields);
    }

    private static OrganizationRegistry registry() {
        try {
            return new OrganizationRegistry("config/organizations.yaml");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
