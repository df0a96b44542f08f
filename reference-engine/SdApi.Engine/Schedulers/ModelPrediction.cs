namespace SdApi.Engine.Schedulers;

/// <summary>
/// Converts a model output into the clean-sample estimate x0 and the noise estimate eps for a variance-preserving
/// latent x = alpha * x0 + sigma * eps (alpha = sqrt(abar), sigma = sqrt(1 - abar)), for each prediction_type.
/// </summary>
internal static class ModelPrediction
{
    public static float[] ToX0(string predictionType, ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, double alpha, double sigma) =>
        predictionType switch
        {
            "epsilon" => LatentMath.Combine(1 / alpha, sample, -sigma / alpha, modelOutput),
            "sample" => modelOutput.ToArray(),
            "v_prediction" => LatentMath.Combine(alpha, sample, -sigma, modelOutput),
            _ => throw Unknown(predictionType),
        };

    public static float[] ToEpsilon(string predictionType, ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, double alpha, double sigma) =>
        predictionType switch
        {
            "epsilon" => modelOutput.ToArray(),
            "sample" => LatentMath.Combine(1 / sigma, sample, -alpha / sigma, modelOutput),
            "v_prediction" => LatentMath.Combine(alpha, modelOutput, sigma, sample),
            _ => throw Unknown(predictionType),
        };

    public static ArgumentException Unknown(string predictionType) =>
        new($"prediction_type '{predictionType}' is not one of epsilon, v_prediction, sample.");
}
