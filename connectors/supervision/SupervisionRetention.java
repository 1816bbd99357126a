package appealhub.connectors.supervision;

import appealhub.model.Pii;
import appealhub.retention.ChannelRetention;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the 督查 channel keeps of a closed case's appeals, purged with the case: the numbers in the
 * 办理结果 texts of its clues' results (the department's words, which may quote a phone). The
 * result files already handed to the relay are the relay's; the rows here keep their shape, so
 * GET /ops/supervision/batches still tells what was sent when.
 */
@Component
public class SupervisionRetention implements ChannelRetention {
    private final NamedParameterJdbcTemplate jdbc;

    public SupervisionRetention(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int purge(String caseId, List<String> appealIds) {
        if (appealIds.isEmpty()) return 0;
        List<Map<String, Object>> rows = jdbc.queryForList("select r.id, r.result_text from supervision_result r "
                + "where r.result_text is not null and r.clue_id in (select s.source_item_id from appeal_source s "
                + "where s.channel = :channel and s.appeal_id in (:ids))",
                Map.of("channel", SupervisionMapper.CHANNEL, "ids", appealIds));
        int n = 0;
        for (Map<String, Object> row : rows) {
            String text = (String) row.get("result_text");
            String masked = Pii.maskInText(text);
            if (!masked.equals(text)) {
                n += jdbc.update("update supervision_result set result_text = :text where id = :id",
                        Map.of("text", masked, "id", row.get("id")));
            }
        }
        return n;
    }
}
