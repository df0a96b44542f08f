namespace SdApi.SpecDiff.Compare;

/// <summary>Compares one numeric bound (a maximum, a minimum, a max length, a step) between the two specs and
/// reports whether the newer one accepts fewer values (narrowed) or more (widened).</summary>
internal static class BoundComparer
{
    /// <summary>An upper bound (maximum, maxLength, maxItems): lower or newly present narrows.</summary>
    public static void Upper(ChangeCollector sink, Direction direction, string name, string location, decimal? old, decimal? @new, string what)
    {
        if (old == @new)
            return;
        var (o, n) = (NodeValues.Show(old), NodeValues.Show(@new));
        if (@new is not null && (old is null || @new < old))
            sink.Narrowed(direction, $"{name}-lowered", location, $"{what}: {name} lowered from {o} to {n}", o, n);
        else
            sink.Widened(direction, $"{name}-raised", location, $"{what}: {name} raised from {o} to {n}", o, n);
    }

    /// <summary>A lower bound (minimum, minLength, minItems): higher or newly present narrows.</summary>
    public static void Lower(ChangeCollector sink, Direction direction, string name, string location, decimal? old, decimal? @new, string what)
    {
        if (old == @new)
            return;
        var (o, n) = (NodeValues.Show(old), NodeValues.Show(@new));
        if (@new is not null && (old is null || @new > old))
            sink.Narrowed(direction, $"{name}-raised", location, $"{what}: {name} raised from {o} to {n}", o, n);
        else
            sink.Widened(direction, $"{name}-lowered", location, $"{what}: {name} lowered from {o} to {n}", o, n);
    }

    /// <summary>A step (multipleOf): the newer step narrows unless it divides the older one.</summary>
    public static void Step(ChangeCollector sink, Direction direction, string name, string location, decimal? old, decimal? @new, string what)
    {
        if (old == @new)
            return;
        var (o, n) = (NodeValues.Show(old), NodeValues.Show(@new));
        var looser = @new is null || (old is not null && @new != 0 && old % @new == 0);
        if (looser)
            sink.Widened(direction, $"{name}-looser", location, $"{what}: step {name} changed from {o} to {n}", o, n);
        else
            sink.Narrowed(direction, $"{name}-stricter", location, $"{what}: step {name} changed from {o} to {n}", o, n);
    }
}
