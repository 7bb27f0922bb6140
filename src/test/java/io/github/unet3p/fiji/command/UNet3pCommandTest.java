package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.ui.UIService;

import ij.IJ;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinyVolumes;

/**
 * What every command does around its work: an Esc pressed before it started does not cancel it,
 * a failure never needs a user interface, and the module is marked canceled with the message.
 */
class UNet3pCommandTest {

	@TempDir
	Path tmp;

	@AfterEach
	void releaseEsc() {
		IJ.resetEscape();
	}

	@Test
	void anEscPressedBeforeTheCommandStartedDoesNotCancelIt() throws Exception {
		TinyVolumes.litsCase(tmp.resolve("lits"), 0);
		IJ.setKeyDown(KeyEvent.VK_ESCAPE);
		assertTrue(IJ.escapePressed(), "the Esc of an earlier run is still down");
		Launch.run("UNet3+ Preprocess", "input=" + Launch.q(tmp.resolve("lits")) + ",output=" + Launch.q(tmp.resolve("prep")) + ",size=16").ok();
		assertEquals(TinyVolumes.K, Files.list(tmp.resolve("prep/images")).count(), "every slice was prepared");
	}

	@Test
	void aFailureWithAUserInterfaceServiceButNoUserInterfaceOnlyLogs() {
		final List<String> calls = new ArrayList<>();
		// NB: SciJava's UIService without a registered UI (the launcher without --headless): not
		// headless, no default UI, and showDialog throws (activeUI() is null there).
		final UIService noUi = (UIService) Proxy.newProxyInstance(UIService.class.getClassLoader(), new Class<?>[] { UIService.class }, (p, m, a) -> {
			calls.add(m.getName());
			switch (m.getName()) {
				case "isHeadless": return false;
				case "getDefaultUI": return null;
				case "showDialog": throw new NullPointerException("activeUI() is null");
				default: return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
			}
		});
		try (Context context = new Context(LogService.class, StatusService.class)) {
			final PreprocessCommand command = new PreprocessCommand();
			command.log = context.service(LogService.class);
			command.status = context.service(StatusService.class);
			command.ui = noUi;
			command.input = new File(tmp.resolve("nowhere").toString());
			command.output = new File(tmp.resolve("out").toString());
			command.run();
			assertTrue(command.failure() != null && command.failure().contains("nowhere"), command.failure());
			assertTrue(command.isCanceled(), "the module is marked canceled");
			assertEquals(command.failure(), command.getCancelReason());
			assertTrue(!calls.contains("showDialog"), "no dialog without a user interface: " + calls);
		}
	}
}
