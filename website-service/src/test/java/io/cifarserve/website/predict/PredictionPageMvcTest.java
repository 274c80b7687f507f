package io.cifarserve.website.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.website.support.InferenceServer;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The page controller against the real inference service, over real HTTP. */
class PredictionPageMvcTest extends PageSliceTest {

  @DynamicPropertySource
  static void inference(DynamicPropertyRegistry registry) {
    registry.add("website.inference.url", InferenceServer::url);
  }

  @Test
  void homePageShowsTheFormAndWhatTheModelWasTrainedOn() throws Exception {
    mvc.perform(get("/"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("enctype=\"multipart/form-data\"")))
        .andExpect(content().string(containsString("hand-set weights for tests")))
        .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
        .andExpect(header().string("X-Content-Type-Options", "nosniff"));
  }

  @Test
  void showsPredictionsAndEscapesHostileFileNames() throws Exception {
    MockMultipartFile red =
        new MockMultipartFile(
            "files",
            "<script>alert(1)</script>.png",
            "image/png",
            TestImages.png(32, 32, Color.RED));

    mvc.perform(multipart("/predict").file(red))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("airplane")))
        .andExpect(content().string(containsString("&lt;script&gt;alert(1)&lt;/script&gt;.png")))
        .andExpect(content().string(not(containsString("<script>alert(1)"))))
        .andExpect(content().string(containsString("Why this answer?")))
        .andExpect(content().string(containsString("data-testid=\"result-thumbnail\"")))
        .andExpect(content().string(containsString("data-testid=\"result-crop\"")))
        .andExpect(content().string(not(containsString("Not sure"))));
  }

  @Test
  void showsAnUnsureAnswerAsSuchWithTheGuessesBelow() throws Exception {
    MockMultipartFile grey =
        new MockMultipartFile(
            "files", "grey.png", "image/png", TestImages.png(64, 48, new Color(128, 128, 128)));

    mvc.perform(multipart("/predict").file(grey))
        .andExpect(status().isOk())
        .andExpect(
            content().string(containsString("Not sure: this may not be one of the ten classes")))
        .andExpect(content().string(containsString("Its best guesses:")))
        .andExpect(content().string(not(containsString("data-testid=\"result-label\""))))
        .andExpect(content().string(containsString("<meter")));
  }

  @Test
  void modelPageShowsTheCalibrationAndItsReliabilityDiagram() throws Exception {
    mvc.perform(get("/model"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("data-testid=\"reliability-diagram\"")))
        .andExpect(content().string(containsString("src=\"data:image/png;base64,")))
        .andExpect(content().string(containsString("0.3000")))
        .andExpect(content().string(containsString("max_probability")));
  }

  @Test
  void modelPageShowsWhatNotSureCatchesBySourceWithTheModelsAnswersOnTheExamples()
      throws Exception {
    String page =
        mvc.perform(get("/model"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page)
        .contains("data-testid=\"outlier-sources\"")
        .contains("<td>lomiri-wallpapers-16.04</td>")
        .contains("<td>gnome-backgrounds (independent)</td>")
        .contains("<td>all sources</td>")
        .contains("87.5%")
        .contains("0.963");
    // All 58 sample pictures, each answered by the served colour classifier.
    assertThat(page.split("<figure", -1)).hasSize(59);
    assertThat(page).contains("src=\"/ood-examples/gnome-backgrounds_");
    assertThat(page).containsPattern("class=\"(caught|missed)\"");
  }

  @Test
  void reportsTheBadFileOfAPartlyFailedBatch() throws Exception {
    MockMultipartFile blue =
        new MockMultipartFile("files", "blue.png", "image/png", TestImages.png(32, 32, Color.BLUE));
    MockMultipartFile text =
        new MockMultipartFile(
            "files", "notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));

    mvc.perform(multipart("/predict").file(blue).file(text))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("bird")))
        .andExpect(content().string(containsString("not a supported image")));
  }

  @Test
  void letsTheVisitorPickTheModelWithTheDefaultFirst() throws Exception {
    mvc.perform(get("/"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("data-testid=\"model-picker\"")))
        .andExpect(
            content()
                .string(
                    matchesPattern(
                        "(?s).*<option value=\"test-colour-classifier\" selected=\"selected\">"
                            + "test-colour-classifier 1 \\(default\\)</option>\\s*"
                            + "<option value=\"reversed-colours\">reversed-colours r1</option>.*")));

    MockMultipartFile red =
        new MockMultipartFile("files", "red.png", "image/png", TestImages.png(32, 32, Color.RED));
    mvc.perform(multipart("/predict").file(red).param("model", InferenceServer.REVERSED))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString(">truck<")))
        .andExpect(content().string(containsString("reversed-colours r1")));
  }

  @Test
  void asksForAPictureWhenNoneWasChosen() throws Exception {
    mvc.perform(multipart("/predict").file(new MockMultipartFile("files", "", "", new byte[0])))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("Choose at least one picture")));
  }
}
