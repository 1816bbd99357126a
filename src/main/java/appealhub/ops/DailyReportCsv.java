package appealhub.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * The daily report as a CSV file that Excel and WPS open with its Chinese intact: UTF-8 with a
 * byte-order mark (without it Excel reads UTF-8 as the local ANSI code page), CRLF, RFC 4180
 * quoting, and no cell a spreadsheet would run as a formula. Three columns: 指标, 项目, 数值.
 */
public final class DailyReportCsv {
    public static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.MINIMAL).setRecordSeparator("\r\n").get();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(Labels.BEIJING);

    private DailyReportCsv() {}

    public static byte[] write(DailyReport.Report r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BOM);
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8); CSVPrinter csv = new CSVPrinter(w, FORMAT)) {
            row(csv, r.district() + "综治中心 日汇总", r.day().toString(), "生成于 " + STAMP.format(r.generatedAt()));
            row(csv, "指标", "项目", "数值");
            for (DailyReport.Line l : r.received()) row(csv, "收件", l.name(), l.count());
            row(csv, "收件", "合计", r.receivedTotal());
            row(csv, "收件", "重复推送（已识别）", r.duplicates());
            row(csv, "收件", "格式错误被拒", r.refused());
            row(csv, "收件", "紧急诉求", r.urgent());
            row(csv, "合并", "并入已有案件", r.merged());
            row(csv, "分派", "人工分拨", r.manuallyTriaged());
            for (DailyReport.Dispatched d : r.departments()) {
                row(csv, "分派（部门）", d.name(), d.total() + (d.co() > 0 ? "（主办 " + d.lead() + "，协办 " + d.co() + "）" : ""));
            }
            for (DailyReport.Dispatched d : r.townships()) {
                row(csv, "分派（乡镇）", d.name(), d.total() + (d.co() > 0 ? "（主办 " + d.lead() + "，协办 " + d.co() + "）" : ""));
            }
            row(csv, "分派", "任务合计", r.dispatchedTotal());
            row(csv, "办结", "办结件数", r.resolved());
            row(csv, "办结", "按期办结", r.resolvedOnTime());
            row(csv, "办结", "按期办结率", r.onTimeRate() == null ? "—" : r.onTimeRate() + "%");
            row(csv, "超期", "超期未办结", r.overdue());
            row(csv, "退回", "退回上级平台", r.returnedUpstream());
            for (DailyReport.Line l : r.satisfaction()) row(csv, "满意度", l.name(), l.count());
            row(csv, "满意度", "回访合计", r.evaluations());
            row(csv, "满意度", "满意率（满意+基本满意）", r.satisfactionRate() == null ? "—" : r.satisfactionRate() + "%");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void row(CSVPrinter csv, Object... cells) throws IOException {
        Object[] safe = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) safe[i] = cells[i] instanceof String s ? safe(s) : cells[i];
        csv.printRecord(safe);
    }

    /** A cell starting with = + - @ (or a tab / CR) would be a formula in Excel and WPS: shown as text instead. */
    static String safe(String cell) {
        if (cell == null || cell.isEmpty()) return "";
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}
