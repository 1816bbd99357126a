package appealhub.ops;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may see and steer the hub.
 * <ul>
 *   <li>Open: the channels' inbound pushes ({@code /api/**}, each channel checks its own signature or
 *       key), {@code /actuator/health} and {@code /actuator/prometheus} (scrapers), the login page.</li>
 *   <li>Role viewer: every page and every read ({@code GET}) under {@code /ops/**} and {@code /actuator/**},
 *       hawtio included, and Jolokia's reads (hawtio's access to the MBeans: read, list, search, version;
 *       {@link JolokiaReadOnlyFilter}).</li>
 *   <li>Role operator (includes viewer): every change ({@code POST/PUT/DELETE} under {@code /ops/**}), and
 *       Jolokia's documented operations, by POST only (stop and start a route, purge and retry a queue;
 *       {@link JolokiaReadOnlyFilter}). The phone search ({@code POST /ops/cases/search}) is a POST
 *       for viewers too, so that a phone never travels in a URL.</li>
 *   <li>Logins are throttled ({@link LoginThrottle}); {@code /actuator/health} shows its details to
 *       logged-in users only (management.endpoint.health.show-details).</li>
 * </ul>
 * People log in with a form (a session cookie); scripts and tests send HTTP Basic on each request.
 *
 * <p>CSRF: the browser session is what a forged cross-site request would ride on, so every change
 * made with the session cookie must carry the token: it is kept in the readable cookie XSRF-TOKEN
 * and the pages (and hawtio) send it back in the X-XSRF-TOKEN header. A request that carries its own
 * {@code Authorization: Basic} header proves its credentials itself and is exempt: a browser adds
 * that header on its own only after a person answered a Basic prompt, and the hub does not prompt
 * people (a page load goes to the login form, the pages' own calls get a bare 401; browsers show
 * no prompt for another site's subresources). The session cookie is SameSite=Lax as a second fence.
 */
@Configuration
@EnableWebSecurity
@EnableConfigurationProperties(LoginThrottle.Settings.class)
public class OpsSecurity {
    public static final String VIEWER = "VIEWER";
    public static final String OPERATOR = "OPERATOR";
    public static final String LOGIN_PAGE = "/login.html";
    private static final Set<String> ROLES = Set.of("viewer", "operator");
    private static final String REALM = "appeal-hub operations";
    private static final Logger log = LoggerFactory.getLogger(OpsSecurity.class);

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /** The channels' inbound endpoints: every channel authenticates its pushes itself. */
    static final RequestMatcher UPSTREAM_PUSHES = PATHS.matcher("/api/**");

    static final RequestMatcher OPEN = new OrRequestMatcher(PATHS.matcher("/actuator/health"), PATHS.matcher("/actuator/health/**"),
            PATHS.matcher("/actuator/prometheus"), PATHS.matcher(LOGIN_PAGE), PATHS.matcher("/login"),
            PATHS.matcher("/error"), PATHS.matcher("/favicon.ico"));

    /**
     * The channels' inbound endpoints, untouched by the operations login: each channel checks its
     * own signature or key and keeps whatever it refuses (raw item REJECTED), which it could not
     * if a login filter answered first (e.g. a pushed "Authorization: Basic <key>").
     */
    @Bean
    @Order(1)
    SecurityFilterChain upstreamPushes(HttpSecurity http) throws Exception {
        http.securityMatcher(UPSTREAM_PUSHES)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain opsFilterChain(HttpSecurity http) throws Exception {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(OPEN).permitAll()
                        // Jolokia reads by GET and POST, and also writes attributes and runs operations (stop a
                        // route, purge a queue): logged-in users here, JolokiaReadOnlyFilter keeps viewers to reads
                        .requestMatchers(PATHS.matcher("/actuator/jolokia/**"), PATHS.matcher("/actuator/hawtio/jolokia/**"))
                        .hasRole(VIEWER)
                        .requestMatchers(PATHS.matcher(HttpMethod.GET, "/**"), PATHS.matcher(HttpMethod.HEAD, "/**"))
                        .hasRole(VIEWER)
                        // a search, not a change: a POST only so that a phone never travels in a URL
                        .requestMatchers(PATHS.matcher(HttpMethod.POST, CaseSearchController.PATH)).hasRole(VIEWER)
                        .requestMatchers(PATHS.matcher("/actuator/hawtio/**")).hasRole(VIEWER)
                        .anyRequest().hasRole(OPERATOR))
                .formLogin(f -> f.loginPage(LOGIN_PAGE).loginProcessingUrl("/login")
                        .defaultSuccessUrl("/ops/dashboard.html").failureUrl(LOGIN_PAGE + "?error").permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl(LOGIN_PAGE + "?logout"))
                .httpBasic(b -> b.realmName(REALM).authenticationEntryPoint(basic))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint(basic)))
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        // the token is never rendered into a page, so the raw (not BREACH-masked) form is used
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(OpsSecurity::sendsBasicCredentials))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        return http.build();
    }

    /**
     * Not logged in: a browser opening a page goes to the login form; the pages' own calls
     * (X-Requested-With) get a bare 401 (no Basic prompt), so they send the person to the form;
     * everything else (scripts) gets the Basic challenge.
     */
    private static AuthenticationEntryPoint entryPoint(BasicAuthenticationEntryPoint basic) {
        AuthenticationEntryPoint form = new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE);
        AuthenticationEntryPoint bare = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        return (request, response, e) -> {
            if ("XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
                bare.commence(request, response, e);
            } else if (wantsHtml(request)) {
                form.commence(request, response, e);
            } else {
                basic.commence(request, response, e);
            }
        };
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    static boolean sendsBasicCredentials(HttpServletRequest request) {
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        return auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /**
     * In front of the Jolokia servlet itself (by name, every dispatch: direct, hawtio's forward),
     * behind this login: viewers only read through it.
     */
    @Bean
    FilterRegistrationBean<JolokiaReadOnlyFilter> jolokiaReadOnlyForViewers(RoleHierarchy roles) {
        FilterRegistrationBean<JolokiaReadOnlyFilter> registration = new FilterRegistrationBean<>(new JolokiaReadOnlyFilter(roles));
        registration.setServletNames(Set.of(JolokiaReadOnlyFilter.JOLOKIA_SERVLET));
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        return registration;
    }

    /** operator ⊃ viewer: an operator may do everything a viewer may. */
    @Bean
    static RoleHierarchy opsRoleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role(OPERATOR).implies(VIEWER).build();
    }

    /** bcrypt by default (a bare $2a$ hash works), {noop} only where config allows plain passwords. */
    @Bean
    PasswordEncoder opsPasswordEncoder() {
        DelegatingPasswordEncoder encoder = (DelegatingPasswordEncoder) PasswordEncoderFactories.createDelegatingPasswordEncoder();
        encoder.setDefaultPasswordEncoderForMatches(new BCryptPasswordEncoder());
        return encoder;
    }

    @Bean
    UserDetailsService opsUserDetails(OpsUsers config) {
        return new InMemoryUserDetailsManager(users(config));
    }

    /** Failed logins counted per user name and per address; a locked one is refused for a while. */
    @Bean
    LoginThrottle loginThrottle(LoginThrottle.Settings settings, java.time.Clock clock) {
        return new LoginThrottle(settings, clock);
    }

    /** The password check (form and Basic alike) behind the login throttle. */
    @Bean
    org.springframework.security.authentication.AuthenticationProvider opsAuthentication(UserDetailsService users,
                                                                                        PasswordEncoder encoder,
                                                                                        LoginThrottle throttle) {
        return new LoginThrottle.Provider(users, encoder, throttle);
    }

    /** The configured users, checked: a mistake here stops the hub at start with the reason. */
    static List<UserDetails> users(OpsUsers config) {
        Set<String> names = new HashSet<>();
        Map<String, UserDetails> out = new LinkedHashMap<>();
        for (OpsUsers.User u : config.users()) {
            if (u.name() == null || u.name().isBlank()) throw new IllegalStateException("hub.ops.users: a user has no name");
            String name = u.name().strip();
            if (!names.add(name)) throw new IllegalStateException("hub.ops.users: user " + name + " appears twice");
            String role = u.role() == null ? "" : u.role().strip().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(role)) {
                throw new IllegalStateException("hub.ops.users: user " + name + " has role '" + u.role() + "', not viewer or operator");
            }
            String password = u.password() == null ? "" : u.password().strip();
            if (password.isEmpty()) throw new IllegalStateException("hub.ops.users: user " + name + " has no password");
            if (password.startsWith("{noop}") && !config.allowPlainPasswords()) {
                throw new IllegalStateException("hub.ops.users: user " + name + " has a plain {noop} password; "
                        + "give a bcrypt hash (hub.ops.allow-plain-passwords is false)");
            }
            if (!password.startsWith("{") && !password.startsWith("$2")) {
                throw new IllegalStateException("hub.ops.users: user " + name + "'s password is neither a bcrypt hash "
                        + "nor {noop}...; store hashes, never plain passwords");
            }
            out.put(name, User.withUsername(name).password(password).roles(role.toUpperCase(Locale.ROOT)).build());
        }
        if (out.isEmpty()) log.warn("hub.ops.users is empty: nobody can log in to the operations pages or API");
        return List.copyOf(out.values());
    }

    /**
     * Spring Security loads the CSRF token lazily; pages and hawtio read it from the cookie, so
     * the cookie is written on every browser request (not on Basic calls, which need none).
     */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!sendsBasicCredentials(request)) {
                CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
                if (token != null) token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
