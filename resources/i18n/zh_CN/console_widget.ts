<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConsoleWidget</name>
    <message>
        <source>IPython in blitzgui. torch, nn, F, np and optim are imported.

</source>
        <translation>blitzgui 中的 IPython。已导入 torch、nn、F、np 和 optim。

</translation>
    </message>
    <message>
        <source>The console runs inside blitzgui and shares its names with every panel, so it is not restarted. To delete all your names, run %reset -f (torch, nn, F, np, optim: re-import them).
</source>
        <translation>控制台运行在 blitzgui 内部，并与每个面板共享变量名，因此不会重启。要删除你的全部变量，请运行 %reset -f（之后需重新导入 torch、nn、F、np、optim）。
</translation>
    </message>
    <message>
        <source>Quit blitzgui?</source>
        <translation>退出 blitzgui？</translation>
    </message>
    <message>
        <source>exit() closes the whole blitzgui window. Quit blitzgui?</source>
        <translation>exit() 会关闭整个 blitzgui 窗口。要退出 blitzgui 吗？</translation>
    </message>
</context>
</TS>
