package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import ai.djl.Device;
import io.github.unet3p.core.util.InvalidInputException;

/** The {@code devices} key: forms accepted, devices chosen for a given GPU count, refusals. */
class DeviceSelectionTest {

	@ParameterizedTest(name = "{0} with {1} GPUs -> {2}")
	@CsvSource({ "cpu, 0, cpu()", "cpu, 4, cpu()", "all, 0, cpu()", "all, 2, gpu(0) gpu(1)", "gpu, 1, gpu(0)", "gpu:2, 3, gpu(2)", " GPU:1 , 2, gpu(1)" })
	void resolves(final String key, final int gpus, final String expected) {
		final List<Device> devices = DeviceSelection.parse(key).resolve(gpus);
		final StringBuilder sb = new StringBuilder();
		for (final Device d : devices)
			sb.append(sb.length() == 0 ? "" : " ").append(d.isGpu() ? "gpu(" + d.getDeviceId() + ")" : "cpu()");
		assertEquals(expected, sb.toString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "tpu", "gpu:", "gpu:-1", "gpu:x", "", "cpu,gpu" })
	void unknownFormsNameTheKeyAndTheAcceptedForms(final String key) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DeviceSelection.parse(key));
		assertTrue(e.getMessage().startsWith("devices must be cpu, gpu, gpu:N or all"), e.getMessage());
	}

	@Test
	void gpusThatAreNotThereAreRefusedWithTheReason() {
		io.github.unet3p.core.model.TorchEngine.get(); // the reason names the loaded build
		InvalidInputException e = assertThrows(InvalidInputException.class, () -> DeviceSelection.parse("gpu").resolve(0));
		assertTrue(e.getMessage().contains("CPU build") && e.getMessage().contains("UNET3P_TORCH=cuda") && e.getMessage().contains("devices=cpu"), e.getMessage());
		e = assertThrows(InvalidInputException.class, () -> DeviceSelection.parse("gpu:1").resolve(1));
		assertTrue(e.getMessage().contains("GPU 1") && e.getMessage().contains("1 GPU(s)"), e.getMessage());
	}
}
