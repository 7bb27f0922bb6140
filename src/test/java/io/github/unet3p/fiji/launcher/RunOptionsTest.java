package io.github.unet3p.fiji.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.InvalidInputException;

class RunOptionsTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
		"a='x',b=3|{a=x, b=3}",
		"a=\"x y\", b=2.5|{a=x y, b=2.5}",
		"path='/tmp/a, b',n=1|{path=/tmp/a, b, n=1}",
		"name='it''s'|{name=it's}",
		"train=[/data/my train] epochs=8 resume|{train=/data/my train, epochs=8, resume=true}",
		"''|{}" })
	void parsesFijiAndMacroSyntax(final String text, final String expected) {
		assertEquals(expected, RunOptions.parse(text).toString());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "a='open", "a=1,a=2", "=3" })
	void rejectsMalformedStrings(final String text) {
		assertThrows(InvalidInputException.class, () -> RunOptions.parse(text));
	}

	@org.junit.jupiter.api.Test
	void keepsOrder() {
		final Map<String, String> m = RunOptions.parse("z=1,a=2");
		assertEquals("[z, a]", m.keySet().toString());
	}
}
