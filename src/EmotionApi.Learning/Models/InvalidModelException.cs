namespace EmotionApi.Learning.Models;

/// <summary>A model directory this version cannot load (files missing or damaged, an unknown network or format); the message says which.</summary>
public sealed class InvalidModelException(string message, Exception? inner = null) : Exception(message, inner);
