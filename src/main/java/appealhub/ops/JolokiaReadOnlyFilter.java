package appealhub.ops;

import appealhub.web.HeldBodyRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.core.util.EscapeUtil;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.http.AgentServlet;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The policy in front of Jolokia (issue 14, item 15), for everybody who got past the login:
 * <ul>
 *   <li><b>GET and HEAD only read</b> (read, list, search, version), operators included: a link an
 *       operator clicks, or an image tag on another site, can never stop a route or purge a queue.
 *       Exec and write go by POST, where the session's CSRF token is required (OpsSecurity).</li>
 *   <li><b>Viewers</b> read, and run the side-effect-free execs hawtio needs: its permission query
 *       ({@link #isPermissionQuery}) and Camel's route-diagram dumps ({@link #ROUTE_DIAGRAM_READS}).</li>
 *   <li><b>Operators</b> also run the documented operations, and only these ({@link #operatorMayExec}):
 *       a Camel route's stop and start; an Artemis queue's purge (removeAllMessages, removeMessages)
 *       and retry (retryMessage, retryMessages); reading execs on Camel and Artemis MBeans (dump*,
 *       browse*, count*, list*, explain*, get*, is*, has*, find*). No write of any attribute, no heap dump, no DiagnosticCommand, no
 *       security-settings or user changes, no notifications.</li>
 * </ul>
 *
 * <p>Mapped onto the Jolokia servlet itself (by servlet name), so it stands right in front of it
 * for every way in: {@code /actuator/jolokia/...} directly, hawtio's forward from
 * {@code /actuator/hawtio/jolokia/...}, hawtio's flight-recording facade. It judges the request
 * exactly as Jolokia will read it: the same path info and {@code p} parameter for GET (and HEAD,
 * which the servlet answers with its GET handler), the very bytes and charset of a POST body,
 * parsed with Jolokia's own JSON parser and type names, so nothing can look like a read here and
 * run as an exec there. A POST (one request or a bulk array) passes only if every request in it
 * is allowed; anything unreadable is refused, with 403 and a JSON error.
 *
 * <p>Jolokia's own restrictor (jolokia-access.xml or a Restrictor bean) is not the place: it is one
 * policy for every caller, is not told who calls, and refuses request by request inside a 200
 * answer, so half of a mixed bulk would still run. hawtio's RBAC does not run on Spring Boot.
 */
final class JolokiaReadOnlyFilter implements Filter {
    /** The name jolokia-support-springboot3 registers its servlet under. */
    static final String JOLOKIA_SERVLET = "jolokia";
    static final Set<RequestType> READ_ONLY = EnumSet.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION);
    /** hawtio's bulk reads are a few kB; a viewer's body is held in memory to be judged. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Pattern PLAIN_MBEAN_NAME = Pattern.compile("[\\w.-]+:[\\w.-]+=[\\w.-]+(,[\\w.-]+=[\\w.-]+)*");

    private static final Logger log = LoggerFactory.getLogger(JolokiaReadOnlyFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuthorityAuthorizationManager<HttpServletRequest> operator;

    JolokiaReadOnlyFilter(RoleHierarchy roles) {
        operator = AuthorityAuthorizationManager.hasRole(OpsSecurity.OPERATOR);
        operator.setRoleHierarchy(roles);
    }

    /** A Jolokia servlet under another name would run unguarded: refuse to start instead. */
    @Override
    public void init(FilterConfig config) throws ServletException {
        for (Map.Entry<String, ? extends ServletRegistration> s : config.getServletContext().getServletRegistrations().entrySet()) {
            if (AgentServlet.class.getName().equals(s.getValue().getClassName()) && !JOLOKIA_SERVLET.equals(s.getKey())) {
                throw new ServletException("Jolokia servlet registered as '" + s.getKey() + "', not '" + JOLOKIA_SERVLET
                        + "': the viewers' read-only guard would not cover it");
            }
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Supplier<Authentication> who = SecurityContextHolder.getContext()::getAuthentication;
        boolean isOperator = operator.authorize(who, request).isGranted();
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            String refused = refusalOfGet(request);
            if (refused != null) {
                refuse(response, HttpServletResponse.SC_FORBIDDEN, "Jolokia request refused (" + refused + " by GET): exec "
                        + "and write only by POST with the CSRF token; " + (isOperator ? "" : "only operators may exec, write "
                        + "or use notifications; ") + "GET reads, lists, searches and versions");
                log.info("Jolokia {} by GET refused for {}", refused, name(who.get()));
                return;
            }
            chain.doFilter(request, response);
        } else if ("POST".equals(method)) {
            // the body as Jolokia decodes it: the request's charset, else the platform's
            HeldBodyRequest held = HeldBodyRequest.of(request, MAX_BODY_BYTES, Charset.defaultCharset());
            if (held == null) {
                refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                        "a Jolokia request may be at most " + MAX_BODY_BYTES + " bytes");
                return;
            }
            String refused = refusalOfPost(held, isOperator);
            if (refused != null) {
                if (isOperator) refuseOperator(response, refused);
                else refuseViewer(response, refused);
                return;
            }
            chain.doFilter(held, response);
        } else {
            if (isOperator) refuseOperator(response, "HTTP " + method);
            else refuseViewer(response, "HTTP " + method);
        }
    }

    /**
     * As JolokiaRequestFactory.createGetRequest reads it: the path info, or the p parameter when
     * there is none; no type is version. Null when a viewer may send it.
     */
    static String refusalOfGet(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || path.isEmpty() || path.matches("^/+$")) path = request.getParameter(ConfigKey.PATH_QUERY_PARAM.getKeyValue());
        if (path == null) path = "";
        if (path.startsWith("/")) path = path.substring(1);
        Deque<String> elements = EscapeUtil.extractElementsFromPath(path);
        RequestType type = elements.isEmpty() ? RequestType.VERSION : typeByName(elements.pop());
        return refusal(type);
    }

    /**
     * Every request in the body (one object, or a bulk array), as Jolokia's HttpRequestHandler reads
     * it. Null when a viewer may send all of them; otherwise what the first refused one is.
     */
    static String refusalOfPost(HeldBodyRequest request) {
        return refusalOfPost(request, false);
    }

    /** The same for a viewer ({@code operator} false) or an operator (also {@link #operatorMayExec}). */
    static String refusalOfPost(HeldBodyRequest request, boolean operator) {
        Object body;
        try (Reader reader = request.reader()) {
            body = new JSONParser().parse(reader);
        } catch (ParseException | IOException | RuntimeException e) {
            return "unreadable";
        }
        List<?> requests = body instanceof List ? (List<?>) body : body instanceof Map ? List.of(body) : List.of();
        if (requests.isEmpty()) return "no request";
        for (Object r : requests) {
            if (!(r instanceof Map)) return "not a request";
            Map<?, ?> one = (Map<?, ?>) r;
            Object name = one.get("type");
            RequestType type = name instanceof String ? typeByName((String) name) : null;
            if (type == RequestType.EXEC && isPermissionQuery(one.get("mbean"), one.get("operation"))) continue;
            if (type == RequestType.EXEC && isRouteDiagramRead(one.get("mbean"), one.get("operation"))) continue;
            if (operator && type == RequestType.EXEC && operatorMayExec(one.get("mbean"), one.get("operation"))) continue;
            if (operator && type == RequestType.EXEC) return "exec " + operationName(one.get("operation"));
            String refused = refusal(type);
            if (refused != null) return refused;
        }
        return null;
    }

    /** Null for the read-only types; else the type's name (Jolokia's, never the client's own text: it is logged). */
    private static String refusal(RequestType type) {
        if (type == null) return "unknown type";
        return READ_ONLY.contains(type) ? null : type.getName();
    }

    private static RequestType typeByName(String name) {
        try {
            return RequestType.getTypeByName(name);
        } catch (IllegalArgumentException notAType) {
            return null;
        }
    }

    /**
     * hawtio asks its JMX security MBean (hawtio:type=security,area=jmx,...) canInvoke(...) for the
     * whole tree before it shows anything: an exec, but a question without side effects. The name
     * must be a plain one (no quotes, patterns or other syntax Jolokia might read differently).
     */
    static boolean isPermissionQuery(Object mbean, Object operation) {
        if (!(mbean instanceof String) || !(operation instanceof String)) return false;
        String op = (String) operation;
        if (!op.equals("canInvoke") && !op.startsWith("canInvoke(")) return false;
        if (!PLAIN_MBEAN_NAME.matcher((String) mbean).matches()) return false;
        try {
            ObjectName name = new ObjectName((String) mbean);
            return !name.isPattern() && "hawtio".equals(name.getDomain()) && "security".equals(name.getKeyProperty("type"))
                    && "jmx".equals(name.getKeyProperty("area"));
        } catch (MalformedObjectNameException e) {
            return false;
        }
    }

    /** Camel's dumps of the route model and its statistics: what hawtio's Route Diagram draws. Reads, though execs. */
    static final Set<String> ROUTE_DIAGRAM_READS = Set.of("dumpRoutesAsXml", "dumpRouteAsXml", "dumpRoutesStatsAsXml",
            "dumpRouteStatsAsXml", "dumpStepStatsAsXml");

    /**
     * hawtio's Route Diagram tab execs Camel's dump operations on the context and route MBeans: the
     * routes' model and counters as XML, no side effect. Allowed for viewers on a Camel MBean named
     * without patterns, by operation name only (with or without its signature).
     */
    static boolean isRouteDiagramRead(Object mbean, Object operation) {
        if (!(mbean instanceof String) || !(operation instanceof String)) return false;
        String op = (String) operation;
        int paren = op.indexOf('(');
        if (!ROUTE_DIAGRAM_READS.contains(paren < 0 ? op : op.substring(0, paren))) return false;
        try {
            ObjectName name = new ObjectName((String) mbean);
            return !name.isPattern() && "org.apache.camel".equals(name.getDomain());
        } catch (MalformedObjectNameException e) {
            return false;
        }
    }

    /** Operations an operator may run on a Camel route MBean. */
    static final Set<String> ROUTE_OPERATIONS = Set.of("start", "stop");
    /** Operations an operator may run on an Artemis queue MBean: purge and retry (docs: dead letters). */
    static final Set<String> QUEUE_OPERATIONS = Set.of("removeAllMessages", "removeMessages", "retryMessage", "retryMessages");
    /** Reading execs on Camel and Artemis MBeans (hawtio's route and queue views): by name prefix. */
    static final List<String> READING_PREFIXES = List.of("dump", "browse", "count", "list", "explain", "get", "is", "has",
            "find");

    /**
     * The documented operations of an operator (route stop/start, queue purge/retry) and the reading
     * execs of hawtio's Camel and Artemis views, on an MBean named without patterns. Nothing of the
     * JVM (java.lang, com.sun.management: heap dumps, DiagnosticCommand), of Jolokia or of the
     * broker's security settings and users.
     */
    static boolean operatorMayExec(Object mbean, Object operation) {
        if (!(mbean instanceof String) || !(operation instanceof String)) return false;
        String op = (String) operation;
        int paren = op.indexOf('(');
        String bare = (paren < 0 ? op : op.substring(0, paren)).strip();
        ObjectName name;
        try {
            name = new ObjectName((String) mbean);
        } catch (MalformedObjectNameException e) {
            return false;
        }
        if (name.isPattern()) return false;
        String domain = name.getDomain();
        boolean reading = READING_PREFIXES.stream().anyMatch(bare::startsWith);
        if ("org.apache.camel".equals(domain)) {
            if (reading) return true;
            return "routes".equals(name.getKeyProperty("type")) && ROUTE_OPERATIONS.contains(bare);
        }
        if ("org.apache.activemq.artemis".equals(domain)) {
            boolean queue = "queues".equals(name.getKeyProperty("subcomponent"));
            if (queue && QUEUE_OPERATIONS.contains(bare)) return true;
            return reading;
        }
        return false;
    }

    /** An operation's name for a message: a Java identifier at most, never the client's text as it came. */
    private static String operationName(Object operation) {
        if (!(operation instanceof String op)) return "(no operation)";
        int paren = op.indexOf('(');
        String bare = paren < 0 ? op : op.substring(0, paren);
        return bare.matches("[A-Za-z_$][A-Za-z0-9_$]{0,80}") ? bare : "(unnamed operation)";
    }

    private static String name(Authentication who) {
        return who == null ? "anonymous" : who.getName();
    }

    private static void refuseOperator(HttpServletResponse response, String what) throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        log.info("Jolokia request refused ({}) for operator {}: not a documented operation", what, name(who));
        refuse(response, HttpServletResponse.SC_FORBIDDEN, "Jolokia request refused (" + what + "): operators may stop "
                + "and start routes, purge and retry queues, and read; nothing else (no attribute writes, heap dumps, "
                + "diagnostic commands or security changes)");
    }

    private static void refuseViewer(HttpServletResponse response, String what) throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        log.info("Jolokia request refused ({}) for {}: not an operator", what, who == null ? "anonymous" : who.getName());
        refuse(response, HttpServletResponse.SC_FORBIDDEN, "Jolokia request refused (" + what + "): only operators may "
                + "exec, write or use notifications; viewers may read, list, search and version");
    }

    private static void refuse(HttpServletResponse response, int status, String error) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error_type", SecurityException.class.getName());
        body.put("error", error);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
