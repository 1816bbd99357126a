package appealhub.classify.model;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.organization.OrganizationRegistry;
import appealhub.classify.model.TopicModel.Scored;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed model file loads as the hub loads it and ranks clear 冀州区 messages sensibly. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommittedTopicModelTest {

    private TopicModel model;

    @BeforeAll
    void load() throws Exception {
        // as the hub loads it: the committed file, the district's place names ignored
        model = new FileTopicModel("config/model/topic-model.tsv.gz",
                FileTopicModel.placeNames(new OrganizationRegistry("config/organizations.yaml")));
    }

    @Test
    void knowsTheSevenClassesAndSaysWhereItComesFrom() {
        assertThat(model.labels()).containsExactlyInAnyOrder(
                "交通运输", "劳动和社会保障", "卫生计生", "商贸旅游", "城乡建设", "教育文体", "环境保护");
        assertThat(model.version())
                .startsWith("topic-model ")
                .contains("train=leaderboard-messages.extra.csv", "rows=3535")
                .contains("segmented=leaderboard-messages.segmented.csv", "rows=8994")
                .containsPattern("sha256=[0-9a-f]{64}")
                .contains("learner=svm", "ngrams=1-3", "maxfeatures=150000", "nbscale=true", "calibrate=true");
    }

    @ParameterizedTest(name = "{2}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
        冀州区服装厂拖欠工人工资 | 我们十几个人在冀州区一家服装厂上班，老板拖欠半年工资共八万元，多次讨要无果，请人社局帮忙讨薪。 | 劳动和社会保障
        冀州镇企业不给职工缴纳社保 | 我在冀州镇一家企业工作三年，单位一直不给缴纳养老保险和医疗保险，也不签劳动合同，请求查处。 | 劳动和社会保障
        冀州镇小学不给孩子办理入学 | 孩子今年六岁，户口在冀州镇，学校说学区名额已满不给办理入学报名手续，请教育局核实。 | 教育文体
        冀州区中学乱收补课费 | 冀州区某中学老师周末组织学生集体补课，每人收费八百元，不交就在班里点名批评，请教育部门查处。 | 教育文体
        周村镇到衡水的客运班车超载 | 从周村镇到衡水的城乡客运班车经常超载，司机开车打电话，车辆破旧，请交通运输局整治客运车辆。 | 交通运输
        冀州区出租车拒载乱收费 | 在冀州区汽车站打出租车，司机不打表，拒载短途乘客，还乱要价，请交通运输局管理。 | 交通运输
        冀州区工业园化工厂排放异味 | 每天晚上工业园的化工厂偷排废气，刺鼻异味很重，附近居民无法开窗，河水也被污染，请环保部门查处。 | 环境保护
        冀州镇养殖场污水直排 | 冀州镇村边的养猪场粪污直接排到沟渠里，臭气熏天，地下水也受到污染，请生态环境局处理。 | 环境保护
        冀州区人民医院乱开检查 | 在区人民医院住院，医生开了很多不必要的检查，药费很贵，医保报销也有问题，请卫健委调查。 | 卫生计生
        乡镇卫生院医生态度差 | 带孩子到卫生院打疫苗，医生护士态度恶劣，排队两个小时，希望卫生部门整顿医院服务。 | 卫生计生
        小区物业不作为房屋漏水 | 冀州区某小区物业收了物业费却不管事，楼顶漏水、房屋墙体开裂，开发商也不管，房产证迟迟办不下来。 | 城乡建设
        冀州镇老旧小区改造拖延 | 我们小区是九十年代的老房子，去年说要棚户区改造，拆迁补偿一直不落实，住房建设进度停滞。 | 城乡建设
        冀州区商场预付卡无法退款 | 冀州区某商场发行的购物预付卡，商场突然关门，卡里还有两千元无法使用也不退款，请商务部门处理。 | 商贸旅游
        冀州区超市销售过期食品 | 在城区一家超市买的牛奶已经过期，超市不给退换，商家还态度恶劣，请市场监管部门查处商户。 | 商贸旅游
        """)
    void ranksClearMessagesIntoTheirClass(String title, String content, String expected) {
        List<Scored> ranked = model.predict(title, content);
        assertThat(ranked).hasSize(7);
        assertThat(ranked.get(0).label()).as("top class of %s (ranked: %s)", title, ranked).isEqualTo(expected);
        assertThat(ranked.stream().mapToDouble(Scored::probability).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        for (int i = 1; i < ranked.size(); i++) {
            assertThat(ranked.get(i).probability()).isLessThanOrEqualTo(ranked.get(i - 1).probability());
        }
    }

    /**
     * Where the training labels themselves are split (公交 is 城乡建设 in half of its messages;
     * wage arrears on a building site lean to 城乡建设 through 建筑/工地), the expected class is
     * at least second: the placement's confidence threshold sends such cases to triage.
     */
    @ParameterizedTest(name = "{2} in the top two: {0}")
    @CsvSource(delimiter = '|', textBlock = """
        冀州区建筑工地拖欠农民工工资 | 我们十几个人在冀州区城区一个建筑工地干活，包工头拖欠半年工资共八万元，多次讨要无果，请人社局帮忙讨薪。 | 劳动和社会保障
        周村镇到城区的公交班次太少 | 从周村镇到冀州城区只有一趟公交车，一小时一班，道路坑洼不平，希望增加公交班次并修好道路。 | 交通运输
        """)
    void splitCasesKeepTheExpectedClassInTheTopTwo(String title, String content, String expected) {
        List<Scored> ranked = model.predict(title, content);
        assertThat(ranked.subList(0, 2)).extracting(Scored::label).as("ranked: %s", ranked).contains(expected);
    }

    @Test
    void localPlaceNamesSayWhereNotWhat() {
        String content = "村里的垃圾堆了一个月没人清运，臭味很大。";
        List<Scored> plain = model.predict("", content);
        List<Scored> placed = model.predict("冀州区周村镇张庄村", content);
        assertThat(placed).isEqualTo(plain);
        assertThat(((FileTopicModel) model).model().placeNames()).contains("冀州区", "冀州", "周村镇", "周村", "张庄村");
    }

    @Test
    void toleratesEmptyAndScrapedText() {
        List<Scored> empty = model.predict(null, "");
        assertThat(empty).hasSize(7);
        assertThat(empty.stream().mapToDouble(Scored::probability).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        // the training data's scraped residue: leading line breaks, tabs, full-width spaces
        List<Scored> scraped = model.predict("拖欠工资", "\n\t\t\t\t\n\t\t\t\t\u3000\u3000公司拖欠工资三个月\n\t\t\t\t\n");
        assertThat(scraped.get(0).label()).isEqualTo("劳动和社会保障");
    }
}
