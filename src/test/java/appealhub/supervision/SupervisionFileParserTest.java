package appealhub.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.connectors.supervision.SupervisionCsv;
import appealhub.connectors.supervision.SupervisionFileParser;
import appealhub.connectors.supervision.SupervisionFileParser.FileRefused;
import appealhub.connectors.supervision.SupervisionMapper;
import appealhub.model.Appeal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file format on its own (no hub): GBK, RFC 4180 quoting, row texts and line numbers, the header, cell safety. */
class SupervisionFileParserTest {
    static final String HEADER = String.join(",", SupervisionRelay.HEADER) + "\r\n";

    @Test
    void gbkWithQuotedLineBreaksCommasAndQuotesIsReadCellByCell() {
        String text = HEADER
                + "DC-1,2025/04/09 10:00,张某,13800000000,标题,\"第一行，有逗号,英文逗号\r\n第二行说\"\"手续不全\"\"\r\n第三行\",河北省衡水市冀州区码头李镇,营商环境,2025/04/19 17:00\r\n"
                + "DC-2,2025/04/09 11:00,,,,\"内容\",河北省衡水市冀州区,其他,";  // last row without CRLF
        byte[] gbk = text.getBytes(SupervisionRelay.GBK);
        SupervisionFileParser.Parsed parsed = SupervisionFileParser.parse(SupervisionFileParser.decode(gbk));

        assertThat(parsed.brokenAt()).isNull();
        assertThat(parsed.rows()).hasSize(2);
        var first = parsed.rows().get(0);
        assertThat(first.cells()).hasSize(9);
        assertThat(first.cells().get(5)).isEqualTo("第一行，有逗号,英文逗号\r\n第二行说\"手续不全\"\r\n第三行");
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.text()).startsWith("DC-1,").endsWith("2025/04/19 17:00").contains("\"\"手续不全\"\"");
        var second = parsed.rows().get(1);
        assertThat(second.line()).as("after a three-line row").isEqualTo(5);
        assertThat(second.text()).isEqualTo("DC-2,2025/04/09 11:00,,,,\"内容\",河北省衡水市冀州区,其他,");

        Appeal appeal = SupervisionMapper.toAppeal(first.cells(), 1L, Instant.now());
        assertThat(appeal.content()).isEqualTo("第一行，有逗号,英文逗号\n第二行说\"手续不全\"\n第三行");
        assertThat(appeal.occurredAt()).isEqualTo(Instant.parse("2025-04-09T02:00:00Z")); // Beijing time
        assertThat(appeal.channelDeadline()).isEqualTo(Instant.parse("2025-04-19T09:00:00Z"));
        assertThat(appeal.location().address()).isEqualTo("河北省衡水市冀州区码头李镇");
        assertThat(appeal.location().district()).isEqualTo("冀州区");
        assertThat(appeal.channelFields()).containsEntry("督查类别", "营商环境");
        assertThat(appeal.citizen().phone()).isEqualTo("13800000000");
        Appeal anonymous = SupervisionMapper.toAppeal(second.cells(), 2L, Instant.now());
        assertThat(anonymous.citizen().anonymous()).isTrue();
        assertThat(anonymous.channelDeadline()).isNull();
        assertThat(anonymous.title()).isEqualTo("内容");
    }

    @Test
    void anUnclosedQuoteKeepsTheRowsBeforeItAndReportsTheRest() {
        String text = HEADER
                + "DC-1,2025/04/09 10:00,张某,,标题,内容,河北省衡水市冀州区,其他,\r\n"
                + "DC-2,2025/04/09 10:00,张某,,标题,\"没有闭合的引号,河北省衡水市冀州区,其他,\r\n"
                + "DC-3,2025/04/09 10:00,张某,,标题,内容,河北省衡水市冀州区,其他,\r\n";
        SupervisionFileParser.Parsed parsed = SupervisionFileParser.parse(text);
        assertThat(parsed.rows()).extracting(r -> r.cells().get(0)).containsExactly("DC-1");
        assertThat(parsed.brokenAt()).startsWith("第3行起CSV格式错误");
        assertThat(parsed.brokenText()).startsWith("DC-2,").contains("DC-3");
    }

    @Test
    void aWrongOrMissingHeaderRefusesTheFile() {
        assertThatThrownBy(() -> SupervisionFileParser.parse("线索编号,提交时间\r\nDC-1,2025/04/09 10:00\r\n"))
                .isInstanceOf(FileRefused.class).hasMessageStartingWith("表头不符");
        assertThatThrownBy(() -> SupervisionFileParser.parse(""))
                .isInstanceOf(FileRefused.class).hasMessage("文件为空，没有表头");
        // UTF-8 bytes are not the GBK header (either not GBK at all, or a header that does not read right).
        assertThatThrownBy(() -> SupervisionFileParser.parse(SupervisionFileParser.decode(HEADER.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(FileRefused.class);
    }

    @Test
    void rowsTheHubCannotTakeSayWhy() {
        assertThatThrownBy(() -> SupervisionMapper.toAppeal(List.of("DC-1", "2025/02/30 10:00", "", "", "", "内容", "", "", ""), 1L, Instant.now()))
                .hasMessageStartingWith("提交时间格式应为yyyy/MM/dd HH:mm");
        assertThatThrownBy(() -> SupervisionMapper.toAppeal(List.of("DC-1", "2025/04/09 10:00", "", "", "", "内容", "", "", "明天"), 1L, Instant.now()))
                .hasMessageStartingWith("办理期限格式应为yyyy/MM/dd HH:mm");
        assertThatThrownBy(() -> SupervisionMapper.toAppeal(List.of(" ", "2025/04/09 10:00", "", "", "", "内容", "", "", ""), 1L, Instant.now()))
                .hasMessage("线索编号为空");
        assertThatThrownBy(() -> SupervisionMapper.toAppeal(List.of("DC-1", "2025/04/09 10:00", "", "", "", "", "", "", "", "多"), 1L, Instant.now()))
                .hasMessage("列数应为9，实际为10");
    }

    @Test
    void aByteThatIsNotGbkSpoilsOnlyItsOwnRow() {
        // 0x81 followed by a comma is no GBK pair; 0xFF is never GBK. Both inside row 2; rows 1 and 3 are clean.
        byte[] head = (HEADER + "DC-1,2025/04/09 10:00,张某,,标题,内容一,河北省衡水市冀州区,其他,\r\n").getBytes(SupervisionRelay.GBK);
        byte[] bad = "DC-2,2025/04/09 10:00,张某,,标题,内容".getBytes(SupervisionRelay.GBK);
        byte[] tail = ",河北省衡水市冀州区,其他,\r\nDC-3,2025/04/09 10:00,,,,\"内容三\",河北省衡水市冀州区,其他,\r\n"
                .getBytes(SupervisionRelay.GBK);
        byte[] bytes = concat(head, bad, new byte[] {(byte) 0x81}, ",二".getBytes(SupervisionRelay.GBK), new byte[] {(byte) 0xFF}, tail);

        String text = SupervisionFileParser.decode(bytes);
        assertThat(text).doesNotContain("?");
        SupervisionFileParser.Parsed parsed = SupervisionFileParser.parse(text);
        assertThat(parsed.brokenAt()).isNull();
        assertThat(parsed.rows()).extracting(r -> r.cells().get(0)).containsExactly("DC-1", "DC-2", "DC-3");
        assertThat(parsed.rows()).extracting(SupervisionFileParser::hasBadBytes).containsExactly(false, true, false);
        // The bad byte before the comma did not eat it: the row still has its cells, the bad bytes shown as U+FFFD.
        assertThat(parsed.rows().get(1).cells()).hasSize(10);
        assertThat(parsed.rows().get(1).cells().get(5)).isEqualTo("内容\uFFFD");
        assertThat(parsed.rows().get(1).cells().get(6)).isEqualTo("二\uFFFD");
        assertThat(parsed.rows().get(2).cells().get(5)).isEqualTo("内容三");
    }

    @Test
    void aHeaderWithABadByteRefusesTheFile() {
        byte[] bytes = concat(new byte[] {(byte) 0xFF}, (HEADER + "DC-1,2025/04/09 10:00,,,,内容,,,\r\n").getBytes(SupervisionRelay.GBK));
        assertThatThrownBy(() -> SupervisionFileParser.parse(SupervisionFileParser.decode(bytes)))
                .isInstanceOf(FileRefused.class).hasMessageStartingWith("表头不符（含有不是GBK编码的字节");
    }

    @Test
    void charactersGbkCannotHoldBecomeASubstituteAndAreNamed() {
        SupervisionCsv.GbkSafe plain = SupervisionCsv.gbkSafe("已办结，镕堃€");
        assertThat(plain.changed()).isFalse();
        assertThat(plain.text()).isEqualTo("已办结，镕堃€");
        SupervisionCsv.GbkSafe odd = SupervisionCsv.gbkSafe("吉\uD842\uDFB7祥😀");
        assertThat(odd.text()).isEqualTo("吉□祥□");
        assertThat(odd.replaced()).containsExactly("U+20BB7", "U+1F600");
        assertThat(SupervisionCsv.GBK.newEncoder().canEncode(odd.text())).isTrue();
        assertThat(SupervisionCsv.gbkSafe(null).text()).isNull();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasAreMadeText() {
        assertThat(SupervisionCsv.safe("=1+1")).isEqualTo("'=1+1");
        assertThat(SupervisionCsv.safe("+86 138")).isEqualTo("'+86 138");
        assertThat(SupervisionCsv.safe("-2")).isEqualTo("'-2");
        assertThat(SupervisionCsv.safe("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(SupervisionCsv.safe("\tx")).isEqualTo("'\tx");
        assertThat(SupervisionCsv.safe("\rx")).isEqualTo("'\rx");
        assertThat(SupervisionCsv.safe("已办结")).isEqualTo("已办结");
        assertThat(SupervisionCsv.safe("2025/04/09 17:00")).isEqualTo("2025/04/09 17:00");
        assertThat(SupervisionCsv.safe(null)).isEmpty();
    }
}
