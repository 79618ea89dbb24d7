package io.github.posthogflink.client.flags.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Python value semantics the operators depend on. */
class PythonValuesTest {

    @ParameterizedTest
    @CsvSource({
        "1.0, 1.0",
        "0.1, 0.1",
        "1.5, 1.5",
        "-2.25, -2.25",
        "1e16, 1e+16",
        "1e15, 1000000000000000.0",
        "123456789.0, 123456789.0",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "1.5e-7, 1.5e-07",
        "2.5e300, 2.5e+300",
        "100.0, 100.0"
    })
    void floatsPrintAsPythonRepr(double value, String expected) {
        assertThat(PythonValues.str(value)).isEqualTo(expected);
    }

    @Test
    void otherTypesPrintAsPythonStr() {
        assertThat(PythonValues.str(null)).isEqualTo("None");
        assertThat(PythonValues.str(true)).isEqualTo("True");
        assertThat(PythonValues.str(false)).isEqualTo("False");
        assertThat(PythonValues.str(42)).isEqualTo("42");
        assertThat(PythonValues.str(42L)).isEqualTo("42");
        assertThat(PythonValues.str(new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(PythonValues.str(1.1f)).isEqualTo("1.1");
        assertThat(PythonValues.str(Double.NaN)).isEqualTo("nan");
        assertThat(PythonValues.str(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(PythonValues.str(-0.0)).isEqualTo("-0.0");
        assertThat(PythonValues.str(Arrays.asList("a", 1L, true, null)))
                .isEqualTo("['a', 1, True, None]");
    }

    @Test
    void casefoldFoldsLikePython() {
        assertThat(PythonValues.casefold("HeLLo")).isEqualTo("hello");
        assertThat(PythonValues.casefold("Straße")).isEqualTo("strasse");
        assertThat(PythonValues.casefold("ΣΊΣΥΦΟΣ")).isEqualTo(PythonValues.casefold("σίσυφος"));
        assertThat(PythonValues.casefold("already")).isSameAs("already");
    }

    @ParameterizedTest
    @CsvSource({
        "'1', 1.0",
        "' 2.5 ', 2.5",
        "'1_000', 1000.0",
        "'.5', 0.5",
        "'1e3', 1000.0",
        "'-3', -3.0"
    })
    void floatAcceptsPythonLiterals(String text, double expected) {
        assertThat(PythonValues.toFloat(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"123aloha", "1d", "1f", "0x10", "", "1__0", "_1", "abc"})
    void floatRejectsWhatPythonRejects(String text) {
        assertThat(PythonValues.toFloat(text)).isNull();
    }

    @Test
    void floatOfSpecialsBoolsAndOtherTypes() {
        assertThat(PythonValues.toFloat("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(PythonValues.toFloat("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(PythonValues.toFloat("nan")).isNaN();
        assertThat(PythonValues.toFloat(true)).isEqualTo(1.0);
        assertThat(PythonValues.toFloat(List.of(1))).isNull();
    }

    @Test
    void stringsCompareByCodePoint() {
        assertThat(PythonValues.compareStrings("a", "b")).isNegative();
        assertThat(PythonValues.compareStrings("10", "9")).isNegative();
        assertThat(PythonValues.compareStrings("\uFFFF", "😀")).isNegative();
        assertThat(PythonValues.compareStrings("ab", "a")).isPositive();
        assertThat(PythonValues.compareStrings("same", "same")).isZero();
    }
}
