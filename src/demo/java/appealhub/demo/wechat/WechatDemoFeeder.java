package appealhub.demo.wechat;

import appealhub.connectors.wechat.WechatProperties;
import appealhub.connectors.wechat.WechatRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.mocks=true): plays WeChat's servers for a few followers of the
 * district's official account. Every demo.interval-ms it pushes, signed and in XML exactly as
 * WeChat does, a text appeal to the hub's own /api/wechat, sometimes followed (or preceded) by
 * the follower's location or a photo, sometimes re-sent with the same MsgId as WeChat does when
 * it is not answered in time, and now and then a subscribe or menu-click event. One follower
 * (o48h-*) has not written for 48 hours as far as the mock WeChat API is concerned: their
 * feedback goes to operations for a call-back.
 */
@Component
@ConditionalOnExpression("${hub.demo.mocks:false} and ${hub.channels.wechat.enabled:false}")
public class WechatDemoFeeder extends RouteBuilder {
    private static final Logger log = LoggerFactory.getLogger(WechatDemoFeeder.class);

    private record Sample(String content, String label, double lat, double lon) {}

    private static final List<String> FOLLOWERS = List.of(
            "oJZ3x-follower-Wang01", "oJZ3x-follower-Li02", "oJZ3x-follower-Zhao03", "oJZ3x-follower-Sun05",
            "oJZ3x-follower-Zhou06", "oJZ3x-follower-Wu07", "o48h-follower-Liu04");

    private static final List<Sample> SAMPLES = List.of(
            new Sample("滏阳花园小区供暖温度一直不达标，家里只有14度，老人孩子都冻感冒了，麻烦热力公司尽快来看看。",
                    "河北省衡水市冀州区冀州镇滏阳花园", 37.5702, 115.5791),
            new Sample("长安路社区门口的路灯坏了好几天了，晚上黑乎乎的，老人出门遛弯很不安全。",
                    "河北省衡水市冀州区冀州镇长安路社区", 37.5668, 115.5712),
            new Sample("官道李镇霍家庄村从前天开始停水，到现在一直没来水，做饭洗衣都成问题。",
                    "河北省衡水市冀州区官道李镇霍家庄村", 37.6493, 115.5204),
            new Sample("西王镇西王村村口早上有人占道经营摆摊卖菜，上学的孩子和车辆都过不去。",
                    "河北省衡水市冀州区西王镇西王村", 37.4987, 115.6412),
            new Sample("码头李镇码头李村东边的厂子夜里偷偷排污，河沟里的水都黑了，还有很大的异味。",
                    "河北省衡水市冀州区码头李镇码头李村", 37.6235, 115.4468),
            new Sample("周村镇周村这几天频繁停电，一天停好几次，冰箱里的东西都放坏了。",
                    "河北省衡水市冀州区周村镇周村", 37.5114, 115.4931),
            new Sample("冀城嘉园小区物业不作为，3号楼电梯坏了一个多礼拜也没人修，楼上老人下不了楼。",
                    "河北省衡水市冀州区冀州镇冀城嘉园", 37.5746, 115.5655),
            new Sample("我在徐家庄乡一个工地干活，包工头拖欠农民工工资三个月了，有事可以打我电话13831812345。",
                    "河北省衡水市冀州区徐家庄乡徐家庄村", 37.4652, 115.5847),
            new Sample("北漳淮乡河东村的村道坑坑洼洼，下雨天积水很深，电动车都陷进去了，希望修一修。",
                    "河北省衡水市冀州区北漳淮乡河东村", 37.5231, 115.7012),
            new Sample("南午村镇南午村小区楼下天天有车乱停车，把消防通道都堵死了，万一着火怎么办。",
                    "河北省衡水市冀州区南午村镇南午村", 37.6012, 115.6208));

    private final WechatProperties props;
    private final Environment env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final AtomicLong msgIds = new AtomicLong(24_518_326_748_000_000L + ThreadLocalRandom.current().nextInt(1_000_000) * 1000L);

    public WechatDemoFeeder(WechatProperties props, Environment env) {
        this.props = props;
        this.env = env;
    }

    @Override
    public void configure() {
        from("timer:wechat-demo-feeder?delay=" + props.demo().initialDelayMs() + "&period=" + props.demo().intervalMs())
                .routeId("wechat-demo-feeder")
                .process(exchange -> pushSome());
    }

    void pushSome() throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String openid = FOLLOWERS.get(random.nextInt(FOLLOWERS.size()));
        Sample sample = SAMPLES.get(random.nextInt(SAMPLES.size()));
        int dice = random.nextInt(100);
        if (dice < 10) {
            push(WechatPushes.event(props.account(), openid, now(), "subscribe", null), openid);
        } else if (dice < 15) {
            push(WechatPushes.event(props.account(), openid, now(), "CLICK", "MENU_REPORT_GUIDE"), openid);
        }
        boolean locationFirst = random.nextInt(100) < 15;
        if (locationFirst) {
            pushLocation(openid, sample);
            Thread.sleep(1500);
        }
        String textId = Long.toString(msgIds.incrementAndGet());
        String text = WechatPushes.text(props.account(), openid, now(), sample.content(), textId);
        push(text, openid);
        if (random.nextInt(100) < 10) {
            push(text, openid); // WeChat did not get our answer in time and sends the same MsgId again
        }
        if (!locationFirst && random.nextInt(100) < 40) {
            Thread.sleep(1500);
            pushLocation(openid, sample);
        }
        if (random.nextInt(100) < 30) {
            Thread.sleep(1000);
            String media = UUID.randomUUID().toString().replace("-", "");
            push(WechatPushes.image(props.account(), openid, now(),
                    "http://mmbiz.qpic.cn/mmbiz_jpg/" + media + "/0", "MEDIA_" + media.substring(0, 16),
                    Long.toString(msgIds.incrementAndGet())), openid);
        }
    }

    private void pushLocation(String openid, Sample s) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        push(WechatPushes.location(props.account(), openid, now(), s.lat() + r.nextDouble(-0.002, 0.002),
                s.lon() + r.nextDouble(-0.002, 0.002), s.label(), Long.toString(msgIds.incrementAndGet())), openid);
    }

    private void push(String xml, String openid) {
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        String query = WechatPushes.signedQuery(props.token(), now(), UUID.randomUUID().toString().substring(0, 10), openid);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + WechatRoutes.PATH + "?" + query))
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "text/xml")
                            .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) log.warn("demo WeChat push answered HTTP {}", r.statusCode());
        } catch (java.io.IOException e) {
            log.warn("demo WeChat push failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
