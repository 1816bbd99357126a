package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskedEditsTest {

    @Test
    void numbersLeftMaskedAreRestoredAndNewOnesKept() {
        String original = "{\"text\":\"已回访 13812345678，身份证 130181199001011234\",\"type\":\"resolved\"}";
        String shown = MaskedEdits.shown(original);
        assertThat(shown).contains("138****5678").contains("130181********1234").doesNotContain("13812345678");

        String edited = shown.replace("resolved", "resolve").replace("已回访", "已电话回访 13900001111，原号码");
        assertThat(MaskedEdits.restore(original, edited)).isEqualTo(
                "{\"text\":\"已电话回访 13900001111，原号码 13812345678，身份证 130181199001011234\",\"type\":\"resolve\"}");
        assertThat(MaskedEdits.restore(original, shown)).isEqualTo(original);
    }

    @Test
    void twoNumbersThatLookTheSameMaskedCannotBePutBack() {
        String original = "13812345678 和 13899995678";
        String shown = MaskedEdits.shown(original);
        assertThatThrownBy(() -> MaskedEdits.restore(original, shown)).isInstanceOf(MaskedEdits.Ambiguous.class)
                .hasMessageContaining("138****5678");
        assertThat(MaskedEdits.restore(original, "两个号码都已删除")).isEqualTo("两个号码都已删除");
    }

    @Test
    void landlinesSpacedAndPlus86NumbersArePutBackToo() {
        String original = "座机0318-8621234，手机 +86 139 1234 5678";
        String shown = MaskedEdits.shown(original);
        assertThat(shown).isEqualTo("座机0318-****34，手机 +86 139****5678");
        assertThat(MaskedEdits.restore(original, shown.replace("座机", "家中座机"))).isEqualTo("家中座机" + original.substring(2));
    }
}
