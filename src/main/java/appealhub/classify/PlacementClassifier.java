package appealhub.classify;

import appealhub.organization.OrganizationRegistry;

import appealhub.classify.CategoryRules.Decision;
import appealhub.classify.model.TopicModel;
import appealhub.model.Appeal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Places every appeal: category, topic, urgency and complexity, each with a confidence; lead and
 * co-organisations; township; and why (kept in the case file's "classified" event).
 * <ul>
 *   <li>topic: the learned {@link TopicModel}'s ranked first-level classes (when no model is loaded,
 *       the class of the department whose topic words the text names);</li>
 *   <li>category, urgency, complexity: {@link CategoryRules} (words plus channel hints as features);</li>
 *   <li>lead and co: {@link RoutingRules} overrides, department topic words refined by the class,
 *       township matters, the class's departments ({@link RoutingTable});</li>
 *   <li>township: {@link TownshipResolver} (channel, pin, address, text).</li>
 * </ul>
 * Below the triage threshold, or a township's matter without a township, the placement has no
 * lead: the case goes to manual triage with {@link Placement#suggestions()}. Emergencies never
 * wait in triage.
 */
@Component
public class PlacementClassifier implements AppealClassifier {
    public static final String VERSION = "placement-v2";

    private final OrganizationRegistry registry;
    private final RoutingTable table;
    private final RoutingRules rules;
    private final TownshipResolver townships;
    private final Supplier<TopicModel> model;
    private final double threshold;
    private final double modelThreshold;
    private static final String CLASS_DEFAULT = "class-default:";

    @Autowired
    public PlacementClassifier(OrganizationRegistry registry, PlacementProperties props, ObjectProvider<TopicModel> model,
                               Clock clock) {
        this(registry, RoutingTable.load(Path.of(props.routing()), registry), props, model::getIfAvailable, clock);
    }

    private PlacementClassifier(OrganizationRegistry registry, RoutingTable table, PlacementProperties props,
                                Supplier<TopicModel> model, Clock clock) {
        this(registry, table,
                new RoutingRules(Path.of(props.routingRules()), registry, table.classes().keySet(), props.rulesCheckMs(), clock),
                new TownshipResolver(registry, TownshipLocator.load(Path.of(props.townshipsGeo()))),
                model, props.triageThreshold(), props.modelTriageThreshold());
    }

    /** One threshold for every lead decision, the model's own included. */
    public PlacementClassifier(OrganizationRegistry registry, RoutingTable table, RoutingRules rules,
                               TownshipResolver townships, Supplier<TopicModel> model, double threshold) {
        this(registry, table, rules, townships, model, threshold, threshold);
    }

    /**
     * @param threshold      a lead decision by rule or department topic less sure than this goes to triage
     * @param modelThreshold a lead the model chose alone less sure than this goes to triage (calibrated
     *                       probability against the cost table's threshold)
     */
    public PlacementClassifier(OrganizationRegistry registry, RoutingTable table, RoutingRules rules,
                               TownshipResolver townships, Supplier<TopicModel> model, double threshold,
                               double modelThreshold) {
        this.modelThreshold = modelThreshold;
        this.registry = registry;
        this.table = table;
        this.rules = rules;
        this.townships = townships;
        this.model = model;
        this.threshold = threshold;
    }

    public RoutingRules rules() {
        return rules;
    }

    public RoutingTable table() {
        return table;
    }

    public double threshold() {
        return threshold;
    }

    public double modelThreshold() {
        return modelThreshold;
    }

    /** The classes an operator may pick: the model's labels, else routing.yaml's classes. */
    public List<String> classes() {
        TopicModel m = model.get();
        return m != null ? m.labels() : List.copyOf(table.classes().keySet());
    }

    /** A route while it is being decided. */
    private static final class Route {
        String lead;
        List<String> co = new ArrayList<>();
        String topic;
        double topicConfidence;
        double confidence;
        String rule;
        boolean needsTownship;
        Decision category;
        String urgency;
    }

    @Override
    public Placement classify(Appeal a) {
        String title = nz(a.title());
        String content = nz(a.content());
        String text = (title + " " + content).replaceAll("\\s+", "");
        String channel = a.firstSource() == null ? null : a.firstSource().channel();
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("classifier", VERSION);

        // The learned model: ranked classes.
        List<TopicModel.Scored> classes = List.of();
        TopicModel m = model.get();
        if (m == null) {
            why.put("model", "none");
        } else {
            try {
                classes = m.predict(title, content).stream()
                        .filter(s -> table.route(s.label()) != null)
                        .sorted(Comparator.comparingDouble(TopicModel.Scored::probability).reversed()).toList();
                why.put("model", m.version());
            } catch (RuntimeException e) {
                why.put("model", "failed: " + e.getClass().getSimpleName() + " (placed without it)");
            }
        }
        Map<String, Double> p = new LinkedHashMap<>();
        classes.forEach(s -> p.put(s.label(), CategoryRules.round(s.probability())));
        if (!p.isEmpty()) why.put("classScores", p);

        TownshipResolver.Resolution township = townships.resolve(a);
        why.put("township.evidence", township.evidence());
        why.put("township.detail", township.detail());

        Decision category = CategoryRules.category(a, text, why);
        Route r = route(a, text, channel, classes, p, township, category, why);
        if (r.category != null) category = r.category;

        if (CategoryRules.EMERGENCY.equals(category.value())) {
            if (r.lead == null) {
                r.lead = table.emergencyLead();
                r.rule = r.rule + " → emergency-lead (an emergency does not wait in triage)";
                r.confidence = Math.max(r.confidence, 0.9);
            }
            if (table.emergencyTownshipCo() && township.known() && !township.code().equals(r.lead)
                    && !r.co.contains(township.code())) {
                r.co.add(township.code());
                why.put("co.township", "emergency: the township joins for first response");
            }
        }
        r.co.remove(r.lead);
        why.put("rule", r.rule);

        Decision urgency = CategoryRules.urgency(a, text, category.value(), why);
        if (r.urgency != null && !r.urgency.equals(urgency.value())) {
            urgency = new Decision(r.urgency, 0.95, "override");
            why.put("urgency.rule", "override:" + r.rule);
        }
        Decision complexity = CategoryRules.complexity(a, text, category.value(), r.co.size(), why);

        String triage = null;
        if (r.lead == null && r.needsTownship) {
            triage = "township-unknown: a township's matter (" + r.rule + ") and no township found";
        } else if (r.lead == null) {
            triage = "unplaced: no rule, department topic or class to route by";
        } else if (!CategoryRules.EMERGENCY.equals(category.value()) && r.confidence < thresholdOf(r)) {
            triage = String.format(java.util.Locale.ROOT, "low-confidence: %.2f < %.2f", r.confidence, thresholdOf(r));
        }

        List<Placement.Suggestion> suggestions = suggestions(r, classes);
        Map<String, Double> confidences = new LinkedHashMap<>();
        confidences.put("category", category.confidence());
        confidences.put("topic", CategoryRules.round(r.topicConfidence));
        confidences.put("urgency", urgency.confidence());
        confidences.put("complexity", complexity.confidence());
        confidences.put("lead", CategoryRules.round(r.confidence));
        confidences.put("township", switch (township.evidence()) {
            case "channel" -> 1.0;
            case "pin" -> 0.9;
            case "address" -> 0.85;
            case "text" -> 0.6;
            default -> 0.0;
        });
        why.put("confidences", confidences);
        if (triage != null) {
            why.put("triage", triage);
            why.put("suggestions", suggestions);
        }
        var rulesStatus = rules.status();
        why.put("routingRules", rulesStatus.rules().size() + " rule(s) of " + rulesStatus.fileModified());

        boolean placed = triage == null;
        return new Placement(category.value(), r.topic, placed ? r.lead : null, placed ? List.copyOf(r.co) : List.of(),
                township.code(), urgency.value(), complexity.value(), CategoryRules.round(r.confidence), why,
                confidences, suggestions, triage);
    }

    private Route route(Appeal a, String text, String channel, List<TopicModel.Scored> classes, Map<String, Double> p,
                        TownshipResolver.Resolution township, Decision category, Map<String, Object> why) {
        Route r = new Route();
        String topClass = classes.isEmpty() ? null : classes.get(0).label();

        // 1. Operations' keyword overrides.
        Map.Entry<RoutingRules.Rule, String> fired = rules.match(text, channel);
        if (fired != null) {
            RoutingRules.Rule rule = fired.getKey();
            if ("township".equals(rule.lead())) {
                r.lead = township.code();
                r.needsTownship = true;
            } else {
                r.lead = rule.lead();
            }
            r.co.addAll(rule.co());
            r.topic = rule.topic() != null ? rule.topic() : topClass != null ? topClass : classOf(rule.lead(), p);
            r.topicConfidence = rule.topic() != null ? rule.confidence() : p.getOrDefault(r.topic, 0.0);
            r.confidence = rule.confidence();
            r.rule = "override:" + rule.name() + " (“" + fired.getValue() + "”)";
            if (rule.category() != null) r.category = new Decision(rule.category(), rule.confidence(), r.rule);
            r.urgency = rule.urgency();
            return r;
        }

        // 2. Department topic words, the predicted class deciding near ties.
        Map<String, Integer> raw = new LinkedHashMap<>();
        table.topics().forEach((dept, words) -> {
            List<String> hits = words.stream().filter(text::contains).toList();
            if (!hits.isEmpty()) {
                raw.put(dept, hits.stream().mapToInt(String::length).sum());
                why.put("topics." + dept, hits);
            }
        });
        if (!raw.isEmpty()) {
            Map<String, Double> adjusted = new LinkedHashMap<>();
            raw.forEach((dept, s) -> adjusted.put(dept, s + 3 * maxP(dept, p)));
            List<String> ranked = adjusted.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                    .map(Map.Entry::getKey).toList();
            r.lead = ranked.get(0);
            int best = raw.get(r.lead);
            for (String d : ranked.subList(1, ranked.size())) {
                if (r.co.size() < 2 && raw.get(d) * 10 >= best * 6) r.co.add(d);
            }
            double keyword = Math.min(0.95, 0.5 + 0.1 * best);
            String leadClass = classOf(r.lead, p);
            // The class's own lead named: the class's co-departments join (a topic spanning several).
            RoutingTable.ClassRoute cr = leadClass == null ? null : table.route(leadClass);
            if (cr != null && r.lead.equals(cr.lead())) {
                for (String c : cr.co()) if (!r.co.contains(c) && !c.equals(r.lead)) r.co.add(c);
            }
            double pLead = leadClass == null ? 0 : p.getOrDefault(leadClass, 0.0);
            r.topic = leadClass != null ? leadClass : topClass;
            r.topicConfidence = p.isEmpty() ? (leadClass == null ? 0 : 0.5) : p.getOrDefault(r.topic, 0.0);
            r.confidence = 1 - (1 - keyword) * (1 - pLead);
            r.rule = "department-topic:" + r.lead + (leadClass != null && leadClass.equals(topClass) ? " (in class " + topClass + ")" : "");
            return r;
        }

        r.topic = topClass;
        r.topicConfidence = topClass == null ? 0 : classes.get(0).probability();
        // 3. A township's own matter.
        String word = CategoryRules.first(text, table.townshipMatters());
        boolean dispute = table.disputesToTownship() && CategoryRules.DISPUTE.equals(category.value());
        if (word != null || dispute) {
            r.lead = township.code();
            r.needsTownship = true;
            r.confidence = word != null ? 0.7 : 0.6;
            r.rule = "township-matter:" + (word != null ? "“" + word + "”" : "dispute without a department topic");
            return r;
        }
        // 4. An emergency no department is named for.
        if (CategoryRules.EMERGENCY.equals(category.value())) {
            r.lead = table.emergencyLead();
            r.confidence = 0.9;
            r.rule = "emergency-lead";
            return r;
        }
        // 5. The class's own departments (the model alone).
        if (topClass != null) {
            RoutingTable.ClassRoute cr = table.route(topClass);
            r.lead = cr.lead();
            r.co.addAll(cr.co());
            r.confidence = classes.get(0).probability();
            r.rule = CLASS_DEFAULT + topClass;
            return r;
        }
        r.rule = "unplaced";
        return r;
    }

    /**
     * The model alone (step 5) is held to the cost table's threshold on its calibrated probability;
     * rules and department topics carry confidences of their own, held to the general threshold.
     */
    private double thresholdOf(Route r) {
        return r.rule != null && r.rule.startsWith(CLASS_DEFAULT) ? modelThreshold : threshold;
    }

    private List<Placement.Suggestion> suggestions(Route r, List<TopicModel.Scored> classes) {
        List<Placement.Suggestion> out = new ArrayList<>();
        if (r.lead != null) {
            out.add(new Placement.Suggestion(r.topic, CategoryRules.round(r.confidence), r.lead, List.copyOf(r.co), r.rule));
        }
        for (TopicModel.Scored s : classes) {
            if (out.size() >= 3) break;
            RoutingTable.ClassRoute cr = table.route(s.label());
            if (out.stream().anyMatch(x -> cr.lead().equals(x.leadOrg()))) continue;
            out.add(new Placement.Suggestion(s.label(), CategoryRules.round(s.probability()), cr.lead(), cr.co(),
                    "class-default:" + s.label()));
        }
        return out;
    }

    /** The most probable class naming a department (without a model: the first class naming it). */
    private String classOf(String dept, Map<String, Double> p) {
        List<String> cs = table.classesOf(dept);
        if (cs.isEmpty()) return null;
        return cs.stream().max(Comparator.comparingDouble(c -> p.getOrDefault(c, 0.0))).orElse(cs.get(0));
    }

    private double maxP(String dept, Map<String, Double> p) {
        return table.classesOf(dept).stream().mapToDouble(c -> p.getOrDefault(c, 0.0)).max().orElse(0);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
