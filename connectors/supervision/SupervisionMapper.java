package appealhub.connectors.supervision;

import appealhub.model.Appeal;
import appealhub.model.AppealLimits;
import appealhub.model.Ids;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a clue file (线索) → the hub's appeal model. A row that cannot be taken throws
 * {@link BadRow}; its message is the 错误原因 staff read in the errors file.
 */
public final class SupervisionMapper {
    public static final String CHANNEL = SupervisionCsv.CHANNEL;
    static final int MAX_ID_LENGTH = 64;

    /** A row the hub cannot take; the message is the reason, in the staff's language. */
    public static class BadRow extends RuntimeException {
        public BadRow(String message) {
            super(message);
        }
    }

    private SupervisionMapper() {}

    /** 线索编号 of a row, if it has one (for the raw item), whatever else is wrong with it. */
    static String clueId(List<String> cells) {
        if (cells.isEmpty()) return null;
        String id = cells.get(0).strip();
        return id.isEmpty() || id.length() > MAX_ID_LENGTH ? null : id;
    }

    public static Appeal toAppeal(List<String> cells, long rawItemId, Instant receivedAt) {
        int expected = SupervisionCsv.HEADER.size();
        if (cells.size() != expected) {
            throw new BadRow("列数应为" + expected + "，实际为" + cells.size());
        }
        String id = cells.get(0).strip();
        if (id.isEmpty()) throw new BadRow("线索编号为空");
        if (id.length() > MAX_ID_LENGTH) throw new BadRow("线索编号超过" + MAX_ID_LENGTH + "个字符");
        Instant submitted = time(cells.get(1), "提交时间", true);
        String name = blankToNull(cells.get(2));
        String phone = blankToNull(cells.get(3));
        String title = blankToNull(cells.get(4));
        String content = text(cells.get(5));
        if (content == null) throw new BadRow("反映内容为空");
        String area = blankToNull(cells.get(6));
        // 督查类别: the spec gives examples (政务服务, 惠企政策, 民生保障, 营商环境, 其他), not a closed list, and
        // names a bad row by its columns, dates and empty 线索编号/反映内容 only: any 类别 is tolerated, kept as a hint.
        String category = blankToNull(cells.get(7));
        Instant deadline = time(cells.get(8), "办理期限", false);
        boolean anonymous = name == null || "匿名".equals(name);

        Map<String, String> fields = new LinkedHashMap<>();
        if (category != null) fields.put("督查类别", category);
        if (area != null) fields.put("涉及地区", area);

        return new Appeal(null, null,
                List.of(new Appeal.Source(CHANNEL, id, receivedAt, rawItemId)),
                new Appeal.Citizen(anonymous ? null : name, phone, anonymous),
                title == null ? abbreviate(content) : text(title),
                content, submitted, receivedAt,
                // 涉及地区 names the township (…冀州区码头李镇): the classifier finds it in the address.
                new Appeal.Location(area, district(area), null, null, null, null, null),
                category, deadline, false, List.of(), fields);
    }

    /** A field over its column's limit, in the staff's language, naming the file's column. */
    static String describe(AppealLimits.Violation v) {
        String column = switch (v.field()) {
            case "title" -> "反映标题";
            case "address", "place" -> "涉及地区";
            case "sourceItemId" -> "线索编号";
            default -> v.field();
        };
        return column + "超过" + v.limit() + "个字符（实际" + v.length() + "个）";
    }

    static Instant time(String cell, String column, boolean required) {
        String v = cell == null ? "" : cell.strip();
        if (v.isEmpty()) {
            if (required) throw new BadRow(column + "为空");
            return null;
        }
        try {
            return LocalDateTime.parse(v, SupervisionCsv.TIME).atZone(Ids.BEIJING).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRow(column + "格式应为yyyy/MM/dd HH:mm，实际为“" + abbreviate(v) + "”");
        }
    }

    /** Line breaks inside a quoted cell come as CRLF from the file: kept as plain line breaks. */
    private static String text(String cell) {
        String v = blankToNull(cell);
        return v == null ? null : v.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String blankToNull(String cell) {
        return cell == null || cell.isBlank() ? null : cell.strip();
    }

    private static String district(String area) {
        if (area == null) return null;
        var m = java.util.regex.Pattern.compile("(?:省|市)?([^省市]{1,6}?[区县])").matcher(area);
        String found = null;
        int from = Math.max(area.indexOf('市') + 1, 0);
        if (m.find(from)) found = m.group(1);
        return found;
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 30 ? one : one.substring(0, 30) + "…";
    }
}
