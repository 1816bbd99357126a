package appealhub.ops;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The hub's front door: / and /dashboard open the domain dashboard; GET /ops/me says who is logged in. */
@RestController
public class OpsPagesController {
    static final String DASHBOARD_PAGE = "/ops/dashboard.html";

    @GetMapping({"/", "/dashboard"})
    public ResponseEntity<Void> dashboard() {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(DASHBOARD_PAGE)).build();
    }

    /** The pages show the user's name and offer actions only to operators (the server checks again). */
    @GetMapping("/ops/me")
    public Map<String, Object> me(Authentication auth) {
        List<String> roles = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5).toLowerCase()).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", auth.getName());
        m.put("roles", roles);
        m.put("operator", roles.contains("operator"));
        return m;
    }
}
