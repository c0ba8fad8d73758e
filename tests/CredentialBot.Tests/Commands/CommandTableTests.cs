using CredentialBot.Commands;

namespace CredentialBot.Tests.Commands;

public sealed class CommandTableTests
{
    private static readonly CommandTable Table = new([new FakeCommand("help"), new FakeCommand("my apps"), new FakeCommand("status"), new FakeCommand("my")]);

    [Theory]
    [InlineData("help", "help", "")]
    [InlineData("HELP", "help", "")]
    [InlineData("my apps", "my apps", "")]
    [InlineData("  My   Apps  ", "my apps", "")]
    [InlineData("my stuff", "my", "stuff")]
    [InlineData("status Payroll API", "status", "Payroll API")]
    [InlineData("status   Payroll    API ", "status", "Payroll API")]
    public void TryResolve_KnownCommand_FindsItAndItsArguments(string text, string expectedCommand, string expectedArguments)
    {
        Assert.True(Table.TryResolve(text, out var command, out var arguments));
        Assert.Equal(expectedCommand, command!.Name);
        Assert.Equal(expectedArguments, arguments);
    }

    [Theory]
    [InlineData("statuses")]
    [InlineData("helpme")]
    [InlineData("")]
    [InlineData("rotate now")]
    public void TryResolve_UnknownOrGluedText_IsNotACommand(string text)
    {
        Assert.False(Table.TryResolve(text, out var command, out _));
        Assert.Null(command);
    }

    [Fact]
    public void Constructor_TwoCommandsWithTheSameName_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CommandTable([new FakeCommand("help"), new FakeCommand("Help")]));

        Assert.Contains("'Help'", error.Message, StringComparison.Ordinal);
    }

    private sealed class FakeCommand(string name) : IBotCommand
    {
        public string Name => name;

        public string Usage => name;

        public string Description => name;

        public Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(CommandReply.WithText(name));
    }
}
